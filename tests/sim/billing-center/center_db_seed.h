#ifndef CENTER_DB_SEED_H
#define CENTER_DB_SEED_H
/* Schema (idempotent) and demo data (run once, on a fresh file) of the simulator's DB. */
extern const char center_db_schema[];
extern const char center_db_seed[];
#endif
