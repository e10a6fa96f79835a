/*
 * exec.h
 *		Sending queries, reporting errors with their SQLSTATE, and Ctrl-C
 *		(exec.c).
 */
#ifndef ISSUELIST_EXEC_H
#define ISSUELIST_EXEC_H

#include <setjmp.h>
#include <signal.h>
#include <stdbool.h>

#include "libpq-fe.h"

extern PGresult *exec_params(const char *sql, int n, const char *const *values);
extern PGresult *exec_params_binary(const char *sql, int n, const char *const *values,
								 const int *lengths, const int *formats,
								 int result_format);
extern bool exec_ok(const char *sql);
extern bool exec_sql(const char *query);
extern void exec_report_error(const PGresult *res);
extern bool exec_connection_lost(void);
extern void exec_setup_cancel(void);
extern void exec_set_cancel_conn(void);
extern void exec_free_cancel(void);
extern double exec_now_ms(void);
extern void exec_print_timing(double start_ms);

/* Ctrl-C: pressed since the last query; at the prompt, jump back to it */
extern volatile sig_atomic_t cancel_pressed;
extern volatile sig_atomic_t sigint_jump_enabled;
extern sigjmp_buf sigint_jump;

#endif							/* ISSUELIST_EXEC_H */
