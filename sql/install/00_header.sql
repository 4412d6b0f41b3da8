-- annotations 1.1 install script, assembled by the Makefile from
-- sql/install/NN_kind.sql in name order. Every reference is schema-qualified.

\echo Use "CREATE EXTENSION annotations" to load this file. \quit
