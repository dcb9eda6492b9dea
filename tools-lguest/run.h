/* SPDX-License-Identifier: GPL-2.0 */
/* Running the guest once it is set up: run.c. */
#ifndef LGUEST_RUN_H
#define LGUEST_RUN_H

#include <stdbool.h>
#include <stdnoreturn.h>

/*
 * Run the guest until it dies, and exit as its death says.  If
 * restart_exec, a guest that asks to restart gets a new launcher:
 * argv, executed again.
 */
noreturn void run_guest(bool restart_exec, char **argv);

#endif
