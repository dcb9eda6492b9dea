/* SPDX-License-Identifier: GPL-2.0 */
/* --user, --group and --chroot: privs.c. */
#ifndef LGUEST_PRIVS_H
#define LGUEST_PRIVS_H

#include <stdbool.h>

void privs_user(const char *arg);
void privs_group(const char *arg);
void privs_chroot(const char *dir);
bool privs_wanted(void);
/* Look the names up and check the directory (before setup). */
void privs_resolve(void);
/* Chroot, then drop groups and user (after setup). */
void privs_drop(void);

#endif
