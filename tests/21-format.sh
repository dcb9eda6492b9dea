# test: every patch is a proper mail: From, [PATCH] subsys: summary, body, the author's Signed-off-by
# shellcheck shell=bash

t_format() {
	local p=$1 bad=0 from subj body hdrs
	# The mail headers, long ones unfolded (git format-patch folds them).
	hdrs=$(awk '/^$/ { exit } /^[ \t]/ { sub(/^[ \t]+/, " "); line = line $0; next }
		    { if (line != "") print line; line = $0 } END { if (line != "") print line }' "$p")
	grep -q '^From: .*<.*@.*>' <<<"$hdrs" || { echo "no 'From: Name <email>' header"; bad=1; }
	# The author, as a Signed-off-by line names them (quotes dropped).
	from=$(sed -n 's/^From: //p' <<<"$hdrs" | head -n1 | sed -E 's/^"([^"]*)"/\1/')
	subj=$(sed -n 's/^Subject: //p' <<<"$hdrs" | head -n1)
	if [[ ! $subj =~ ^\[PATCH(\ [0-9]+/[0-9]+)?\]\ [A-Za-z0-9_./,+-]+:\ [^\ ].* ]]; then
		echo "Subject is '$subj', want '[PATCH] subsystem: summary'"; bad=1
	fi
	# The body: text between the headers and the Signed-off-by/--- line.
	body=$(awk 'hdr == 0 && /^$/ { hdr = 1; next }
		    hdr == 1 && (/^Signed-off-by:/ || /^---$/) { exit }
		    hdr == 1 && NF { print }' "$p")
	[[ -n $body ]] || { echo "no body: say what the patch does and why"; bad=1; }
	grep -q '^Signed-off-by: ' "$p" || { echo "no Signed-off-by"; bad=1; }
	grep -qxF "Signed-off-by: $from" "$p" ||
		{ echo "no 'Signed-off-by: $from' (the author in From: signs off)"; bad=1; }
	grep -q '^diff \|^--- ' "$p" || { echo "no diff in the patch"; bad=1; }
	((bad == 0)) && echo "From, Subject ($subj), body ($(wc -l <<<"$body") lines), Signed-off-by: fine"
	return "$bad"
}

mapfile -t fm_patches < <(t_patches)
if ((${#fm_patches[@]} == 0)); then
	check "patch format: series is empty, nothing to check" true
fi
for p in "${fm_patches[@]}"; do
	check "patch format: $(basename "$p") has From, [PATCH] subsys: summary, a body, the author's Signed-off-by" t_format "$p"
done
