/*
 * annotations.c — module entry point.
 *
 * The extension's C code is split by concern (see README "How it is built");
 * this file only declares the module to the server.
 */
#include "postgres.h"
#include "fmgr.h"

PG_MODULE_MAGIC;
