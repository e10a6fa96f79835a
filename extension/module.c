/*
 * module.c
 *		The module magic of the issuelist extension, and nothing else.
 */
#include "postgres.h"
#include "fmgr.h"

PG_MODULE_MAGIC;
