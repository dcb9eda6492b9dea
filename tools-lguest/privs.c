// SPDX-License-Identifier: GPL-2.0
/*
 * --user, --group and --chroot: run the guest without root.
 *
 * The launcher needs root (or access to /dev/lguest) only to open its
 * files: /dev/lguest, the kernel, the initrd, the disk images.  Once
 * they are open and the guest is set up, a launcher that a guest might
 * one day subvert is better off as nobody, in an empty directory.
 *
 * The names are looked up when the options are read, before anything is
 * opened, so that a typo costs nothing.  We read /etc/passwd and
 * /etc/group ourselves: the launcher is static, and a static glibc
 * cannot load the NSS modules getpwnam() would need.  A user or group
 * that only LDAP (or the like) knows must be given by number.
 *
 * The drop itself comes after setup, in the only safe order: chroot
 * while we still may, then the supplementary groups and the group while
 * we are still root, and the user last.  Each step is checked, and so
 * is the result: a launcher that can become root again is refused.
 */
#define _GNU_SOURCE	/* setresuid, setresgid */
#include <errno.h>
#include <grp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "privs.h"
#include "util.h"

#define PASSWD_FILE	"/etc/passwd"
#define GROUP_FILE	"/etc/group"
#define MAX_GROUPS	64

static struct {
	const char *user_arg, *group_arg, *dir;
	bool set_uid, set_gid;
	uid_t uid;
	gid_t gid;
	gid_t groups[MAX_GROUPS];
	int ngroups;
} privs;

/* A whole decimal number that fits in 31 bits, or -1. */
static long parse_id(const char *s)
{
	size_t n = strspn(s, "0123456789");

	if (!n || s[n] || n > 9)
		return -1;
	return strtol(s, NULL, 10);
}

/*
 * Split a line of /etc/passwd or /etc/group into its colon-separated
 * fields, in place; the number of fields found.
 */
static int split_fields(char *line, char **field, int max)
{
	int n = 0;

	line[strcspn(line, "\n")] = '\0';
	while (n < max) {
		field[n++] = line;
		line = strchr(line, ':');
		if (!line)
			break;
		*line++ = '\0';
	}
	return n;
}

/*
 * Find the /etc/passwd entry whose name is name (or, if name is NULL,
 * whose UID is uid).  Fills *uid and *gid, and the name into buf.
 */
static bool find_user(const char *name, uid_t *uid, gid_t *gid,
		      char *buf, size_t size)
{
	char line[1024], *f[7];
	bool found = false;
	FILE *fp = fopen(PASSWD_FILE, "re");

	if (!fp)
		return false;
	while (!found && fgets(line, sizeof(line), fp)) {
		long u, g;

		if (split_fields(line, f, 7) < 4)
			continue;
		u = parse_id(f[2]);
		g = parse_id(f[3]);
		if (u < 0 || g < 0)
			continue;
		if (name ? strcmp(f[0], name) : (uid_t)u != *uid)
			continue;
		*uid = u;
		*gid = g;
		snprintf(buf, size, "%s", f[0]);
		found = true;
	}
	fclose(fp);
	return found;
}

/* A group by name; its GID in *gid. */
static bool find_group(const char *name, gid_t *gid)
{
	char line[4096], *f[4];
	bool found = false;
	FILE *fp = fopen(GROUP_FILE, "re");

	if (!fp)
		return false;
	while (!found && fgets(line, sizeof(line), fp)) {
		long g;

		if (split_fields(line, f, 4) < 3 || strcmp(f[0], name))
			continue;
		g = parse_id(f[2]);
		if (g < 0)
			continue;
		*gid = g;
		found = true;
	}
	fclose(fp);
	return found;
}

static void add_group(gid_t gid)
{
	int i;

	for (i = 0; i < privs.ngroups; i++)
		if (privs.groups[i] == gid)
			return;
	if (privs.ngroups == MAX_GROUPS)
		die(EXIT_SETUP, "--user=%s: in more than %d groups in %s; give --group=GROUP to run with that group alone",
		    privs.user_arg, MAX_GROUPS, GROUP_FILE);
	privs.groups[privs.ngroups++] = gid;
}

/* The groups that list user as a member, as initgroups() would find. */
static void add_member_groups(const char *user)
{
	char line[4096], *f[4], *m;
	FILE *fp = fopen(GROUP_FILE, "re");

	if (!fp)
		return;
	while (fgets(line, sizeof(line), fp)) {
		long g;

		if (split_fields(line, f, 4) < 4)
			continue;
		g = parse_id(f[2]);
		for (m = strtok(f[3], ","); g >= 0 && m; m = strtok(NULL, ","))
			if (!strcmp(m, user))
				add_group(g);
	}
	fclose(fp);
}

void privs_user(const char *arg)
{
	privs.user_arg = arg;
}

void privs_group(const char *arg)
{
	privs.group_arg = arg;
}

void privs_chroot(const char *dir)
{
	privs.dir = dir;
}

bool privs_wanted(void)
{
	return privs.user_arg || privs.group_arg || privs.dir;
}

/*
 * Resolve --user and --group now, and check the --chroot directory: any
 * mistake is reported before we open anything.
 */
void privs_resolve(void)
{
	char name[256] = "";
	bool named = false;
	struct stat st;
	long id;

	if (privs.user_arg) {
		id = parse_id(privs.user_arg);
		if (id < 0) {
			if (!find_user(privs.user_arg, &privs.uid, &privs.gid,
				       name, sizeof(name)))
				die(EXIT_SETUP, "--user=%s: no such user in %s; give an existing user name or a numeric UID (names only known to NSS, such as LDAP users, must be given as numbers)",
				    privs.user_arg, PASSWD_FILE);
			named = true;
		} else {
			privs.uid = id;
			named = find_user(NULL, &privs.uid, &privs.gid, name, sizeof(name));
			if (!named && !privs.group_arg)
				die(EXIT_SETUP, "--user=%s: UID %ld has no entry in %s, so it has no group to run with; add --group=GROUP",
				    privs.user_arg, id, PASSWD_FILE);
		}
		privs.set_uid = privs.set_gid = true;
	}
	if (privs.group_arg) {
		id = parse_id(privs.group_arg);
		if (id >= 0)
			privs.gid = id;
		else if (!find_group(privs.group_arg, &privs.gid))
			die(EXIT_SETUP, "--group=%s: no such group in %s; give an existing group name or a numeric GID",
			    privs.group_arg, GROUP_FILE);
		privs.set_gid = true;
	}
	if (privs.set_gid) {
		add_group(privs.gid);
		/* --group alone keeps just that group, as --user=... does not. */
		if (named)
			add_member_groups(name);
	}
	if (privs.dir) {
		if (stat(privs.dir, &st) < 0)
			die(EXIT_SETUP, "--chroot=%s: %s; give an existing directory (an empty one is best)",
			    privs.dir, strerror(errno));
		if (!S_ISDIR(st.st_mode))
			die(EXIT_SETUP, "--chroot=%s: not a directory; give an existing directory (an empty one is best)",
			    privs.dir);
	}
}

/* Setup is done and every file we need is open: give up what we can. */
void privs_drop(void)
{
	if (privs.dir) {
		if (chroot(privs.dir) < 0)
			die(EXIT_SETUP, "--chroot=%s: chroot: %s; run lguest as root to use --chroot",
			    privs.dir, strerror(errno));
		if (chdir("/") < 0)
			die(EXIT_SETUP, "--chroot=%s: chdir to its /: %s", privs.dir, strerror(errno));
		trace("chroot to %s", privs.dir);
	}
	if (privs.set_gid) {
		/* While we are root: afterwards we could not. */
		if (setgroups(privs.ngroups, privs.groups) < 0)
			die(EXIT_SETUP, "dropping privileges: setgroups: %s; run lguest as root to use --user or --group",
			    strerror(errno));
		if (setresgid(privs.gid, privs.gid, privs.gid) < 0)
			die(EXIT_SETUP, "dropping privileges: setresgid(%u): %s; run lguest as root to use --user or --group",
			    (unsigned int)privs.gid, strerror(errno));
		trace("group %u, %d supplementary group(s)", (unsigned int)privs.gid, privs.ngroups);
	}
	if (privs.set_uid) {
		if (setresuid(privs.uid, privs.uid, privs.uid) < 0)
			die(EXIT_SETUP, "dropping privileges: setresuid(%u): %s; run lguest as root to use --user",
			    (unsigned int)privs.uid, strerror(errno));
		/* The point of it all: there must be no way back. */
		if (privs.uid != 0 && (setuid(0) == 0 || seteuid(0) == 0))
			die(EXIT_SETUP, "dropping privileges: still able to become root after setresuid(%u)",
			    (unsigned int)privs.uid);
		trace("user %u", (unsigned int)privs.uid);
	}
}
