# SPDX-License-Identifier: GPL-2.0
# lgrt, the test guests' runtime: how to build a guest with it.  Include
# this, then link each guest as
#
#	$(CC) $(LGRT_CFLAGS) -I<dir of linux/lguest.h> $(LGRT_LDFLAGS) \
#		-o GUEST.elf $(LGRT_SRCS) GUEST.c ...
#
# and make it depend on $(LGRT_DEPS).

LGRT_DIR := $(patsubst %/,%,$(dir $(lastword $(MAKEFILE_LIST))))

# 32-bit and freestanding: no C library, no SSE or MMX unless a guest asks
# for them in asm, no loop turned into a call of the memset() it may be,
# and no assumption that nothing lives at address 0 (guest-physical 0 is
# memory like any other).
LGRT_CFLAGS := -m32 -O2 -Wall -Wextra -ffreestanding -fno-pic -fno-pie \
	-nostdlib -fno-stack-protector -fno-asynchronous-unwind-tables \
	-fno-tree-loop-distribute-patterns -fno-delete-null-pointer-checks \
	-mno-sse -mno-mmx -fcf-protection=none -I$(LGRT_DIR)
LGRT_LDFLAGS := -m32 -nostdlib -static -no-pie -Wl,-T,$(LGRT_DIR)/lgrt.lds \
	-Wl,--build-id=none -Wl,--no-warn-rwx-segments
LGRT_SRCS := $(LGRT_DIR)/lgrt.c
LGRT_DEPS := $(LGRT_SRCS) $(LGRT_DIR)/lgrt.h $(LGRT_DIR)/lgpt.h $(LGRT_DIR)/lgrt.lds \
	$(LGRT_DIR)/lgrt.mk
