/* runstate.h: everything that makes a network continue training exactly, as one versioned record of
 * bytes: parameters, batch-norm statistics, optimiser state, counters, the batch-order and dropout
 * random streams, the epoch's order of rows and what an undo needs. Loading the record into a fresh
 * network of the same layer table and optimiser gives the same next step, bit for bit.
 *
 * Layout (little-endian, 4-byte words): a header of GL_RUNSTATE_HEADER int32 (see runstate.c),
 * the two generators and counters, then float arrays. A checksum over everything after the header
 * catches a damaged record. */
#ifndef GL_RUNSTATE_H
#define GL_RUNSTATE_H
#include <stdint.h>
#include "network.h"

#define GL_RUNSTATE_MAGIC 0x53524c47u /* "GLRS" */
#define GL_RUNSTATE_VERSION 1

/* bytes of n's record */
int64_t gl_runstate_bytes(const gl_net *n);
/* writes n's record into out (gl_runstate_bytes(n) bytes) */
void gl_runstate_write(const gl_net *n, uint8_t *out);
/* 0 when rec (bytes long) fits n (and, when it holds an epoch order, a training split of n_train
 * rows); else writes what does not match into why (why_len bytes) and returns -1. Changes nothing. */
int gl_runstate_check(const gl_net *n, const uint8_t *rec, int64_t bytes, int n_train, char *why, int why_len);
/* loads a record that gl_runstate_check accepted; n must have been prepared for the data set
 * (gl_net_prepare) when the record holds an epoch order */
void gl_runstate_read(gl_net *n, const uint8_t *rec);
/* whether a checked record holds an epoch order (then the network must be prepared first) */
int gl_runstate_has_order(const uint8_t *rec);
#endif
