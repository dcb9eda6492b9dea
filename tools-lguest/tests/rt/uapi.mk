# SPDX-License-Identifier: GPL-2.0
# The lguest ABI headers a test tool builds against (tests/selftests,
# tests/fuzz): copied from the patched tree KSRC into $(O)/uapi/linux,
# and rewritten only when the tree's copy differs, so a rebuild is only
# what changed.  Set UAPI_USER (the tool's name, for the messages) and
# include this; depend on $(UAPI_H) and build with -I$(O)/uapi.

UAPI := lguest.h lguest_launcher.h
UAPI_H := $(UAPI:%=$(O)/uapi/linux/%)

$(O)/uapi/linux/%.h: FORCE
	@if [ -z "$(KSRC)" ]; then \
		echo "$(UAPI_USER): set KSRC=<kernel tree with the lguest series applied> (scripts/apply prints its path)" >&2; \
		exit 1; \
	fi
	@if [ ! -f "$(KSRC)/include/uapi/linux/$*.h" ]; then \
		echo "$(UAPI_USER): KSRC=$(KSRC) has no include/uapi/linux/$*.h: apply the series first (scripts/apply)" >&2; \
		exit 1; \
	fi
	@mkdir -p $(dir $@)
	@cmp -s $(KSRC)/include/uapi/linux/$*.h $@ || cp $(KSRC)/include/uapi/linux/$*.h $@

.PHONY: FORCE
