/* The schema, as forward-only steps: step i takes PRAGMA user_version i to i+1 in one
 * transaction (store.c).  A released step is never edited; a change is a new step.
 *
 * Money columns are INTEGER kopecks with CHECKs that refuse anything but a positive integer
 * (typeof() guards against a REAL or TEXT sneaking in through a careless bind).  No REAL
 * column exists anywhere.  Times are INTEGER UTC ms. */
#include "offline/store_internal.h"

#include <string.h>

/* v1: settings, the payment journal (rows, basket lines, state history), the outbox. */
static const char v1_sql[] =
	"CREATE TABLE settings("
	"  key TEXT PRIMARY KEY NOT NULL,"
	"  value TEXT NOT NULL) WITHOUT ROWID;"

	"CREATE TABLE journal("
	"  txn_id TEXT PRIMARY KEY NOT NULL"
	"    CHECK (length(txn_id) = 32 AND txn_id NOT GLOB '*[^0-9a-f]*'),"
	"  state TEXT NOT NULL CHECK (state IN ('INTENT','AUTHORIZED','RECORDED','CONFIRMED',"
	"    'DECLINED','CANCELLED','VOIDED','REVERSED_AUTO','NEEDS_OPERATOR')),"
	"  total INTEGER NOT NULL CHECK (typeof(total) = 'integer' AND total > 0),"
	"  currency TEXT NOT NULL DEFAULT '643',"
	"  masked_pan TEXT, scheme TEXT, auth_code TEXT, rrn TEXT, tid TEXT, mid TEXT,"
	"  stan TEXT, batch_no TEXT, aid TEXT, terminal_dt TEXT, host_rc TEXT,"
	"  entry_mode INTEGER, cvm INTEGER, slip TEXT,"
	"  reason TEXT,"
	"  offline INTEGER NOT NULL DEFAULT 0 CHECK (offline IN (0, 1)),"
	"  created_ms INTEGER NOT NULL CHECK (typeof(created_ms) = 'integer'),"
	"  updated_ms INTEGER NOT NULL CHECK (typeof(updated_ms) = 'integer'),"
	"  recorded_ms INTEGER);"
	"CREATE INDEX journal_by_state ON journal(state, created_ms);"
	"CREATE INDEX journal_by_created ON journal(created_ms);"

	"CREATE TABLE journal_lines("
	"  txn_id TEXT NOT NULL REFERENCES journal(txn_id),"
	"  pos INTEGER NOT NULL CHECK (pos >= 0 AND pos < 10),"
	"  pers_acc TEXT NOT NULL CHECK (length(pers_acc) BETWEEN 1 AND 32"
	"    AND pers_acc NOT GLOB '*[^0-9]*'),"
	"  period TEXT NOT NULL,"
	"  amount INTEGER NOT NULL CHECK (typeof(amount) = 'integer' AND amount > 0),"
	"  payee_inn TEXT NOT NULL,"
	"  payee_name TEXT NOT NULL,"
	"  PRIMARY KEY (txn_id, pos)) WITHOUT ROWID;"

	"CREATE TABLE journal_history("
	"  id INTEGER PRIMARY KEY,"
	"  txn_id TEXT NOT NULL REFERENCES journal(txn_id),"
	"  state TEXT NOT NULL,"
	"  at_ms INTEGER NOT NULL CHECK (typeof(at_ms) = 'integer'),"
	"  reason TEXT);"
	"CREATE INDEX journal_history_by_txn ON journal_history(txn_id, id);"

	"CREATE TABLE outbox("
	"  id INTEGER PRIMARY KEY,"
	"  epoch BLOB NOT NULL CHECK (length(epoch) = 16),"
	"  seq INTEGER NOT NULL CHECK (typeof(seq) = 'integer' AND seq > 0),"
	"  idem_key BLOB NOT NULL UNIQUE CHECK (length(idem_key) = 16),"
	"  kind TEXT NOT NULL CHECK (kind IN ('payment','reading','ereceipt','request','event')),"
	"  body BLOB NOT NULL,"
	"  chain_hash BLOB NOT NULL CHECK (length(chain_hash) = 32),"
	"  created_ms INTEGER NOT NULL,"
	"  attempts INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),"
	"  last_try_ms INTEGER,"
	"  next_try_at INTEGER,"
	"  acked_at INTEGER,"
	"  disposition TEXT CHECK (disposition IN ('created','duplicate','conflict','rejected')),"
	"  server_ref TEXT,"
	"  rejected_reason TEXT,"
	"  quarantined INTEGER NOT NULL DEFAULT 0 CHECK (quarantined IN (0, 1)),"
	"  CHECK ((acked_at IS NULL) = (disposition IS NULL)),"
	"  UNIQUE (epoch, seq));"
	"CREATE INDEX outbox_unacked ON outbox(epoch, seq) WHERE acked_at IS NULL;"
	/* The bytes a record will send never change once written: a retry must resend the
	 * same bytes, and the center tells duplicate from conflict by the body hash. */
	"CREATE TRIGGER outbox_body_immutable BEFORE UPDATE OF body, idem_key, kind ON outbox"
	"  WHEN NEW.body IS NOT OLD.body OR NEW.idem_key IS NOT OLD.idem_key"
	"    OR NEW.kind IS NOT OLD.kind"
	"  BEGIN SELECT RAISE(ABORT, 'outbox body is immutable'); END;"
	"CREATE TRIGGER outbox_no_delete BEFORE DELETE ON outbox"
	"  BEGIN SELECT RAISE(ABORT, 'outbox rows are kept'); END;"

	/* The current epoch (one row). */
	"CREATE TABLE outbox_state("
	"  id INTEGER PRIMARY KEY CHECK (id = 1),"
	"  epoch BLOB NOT NULL CHECK (length(epoch) = 16),"
	"  created_ms INTEGER NOT NULL);";

/* The first epoch comes from the OS generator like every other id. */
static int v1_fn(sqlite3 *db)
{
	uint8_t epoch[16];
	sqlite3_stmt *st = NULL;
	store_random(epoch, sizeof epoch);
	int rc = sqlite3_prepare_v2(db, "INSERT INTO outbox_state(id, epoch, created_ms) "
				    "VALUES(1, ?1, 0)", -1, &st, NULL);
	if (rc == SQLITE_OK) {
		sqlite3_bind_blob(st, 1, epoch, sizeof epoch, SQLITE_TRANSIENT);
		rc = sqlite3_step(st);
		if (rc == SQLITE_DONE)
			rc = SQLITE_OK;
	}
	sqlite3_finalize(st);
	return rc;
}

/* v2: meter readings, printed receipts, the append-only audit trail. */
static const char v2_sql[] =
	"CREATE TABLE readings("
	"  key BLOB PRIMARY KEY NOT NULL CHECK (length(key) = 16),"
	"  pers_acc TEXT NOT NULL CHECK (length(pers_acc) BETWEEN 1 AND 32"
	"    AND pers_acc NOT GLOB '*[^0-9]*'),"
	"  meter_id TEXT NOT NULL CHECK (length(meter_id) BETWEEN 1 AND 15),"
	"  value_milli INTEGER NOT NULL CHECK (typeof(value_milli) = 'integer' AND value_milli >= 0),"
	"  prev_milli INTEGER NOT NULL CHECK (typeof(prev_milli) = 'integer' AND prev_milli >= 0),"
	"  rollover INTEGER NOT NULL CHECK (rollover IN (0, 1)),"
	"  supersedes BLOB REFERENCES readings(key),"
	"  submitted_ms INTEGER NOT NULL) WITHOUT ROWID;"
	"CREATE INDEX readings_by_acc ON readings(pers_acc, submitted_ms);"

	"CREATE TABLE receipts("
	"  txn_id TEXT PRIMARY KEY NOT NULL REFERENCES journal(txn_id),"
	"  printed_at_ms INTEGER NOT NULL,"
	"  reprints INTEGER NOT NULL DEFAULT 0 CHECK (reprints >= 0),"
	"  last_reprint_ms INTEGER,"
	"  text TEXT NOT NULL) WITHOUT ROWID;"
	"CREATE TRIGGER receipts_text_immutable BEFORE UPDATE OF text ON receipts"
	"  WHEN NEW.text IS NOT OLD.text"
	"  BEGIN SELECT RAISE(ABORT, 'receipt text is immutable'); END;"

	"CREATE TABLE audit("
	"  id INTEGER PRIMARY KEY,"
	"  at_ms INTEGER NOT NULL,"
	"  actor TEXT NOT NULL,"
	"  action TEXT NOT NULL,"
	"  detail TEXT NOT NULL,"
	"  hash BLOB NOT NULL CHECK (length(hash) = 32));"
	"CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit"
	"  BEGIN SELECT RAISE(ABORT, 'audit is append-only'); END;"
	"CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit"
	"  BEGIN SELECT RAISE(ABORT, 'audit is append-only'); END;";

/* v3: the accounts cache for offline lookups (docs/api.md §3.1, §6).  Suppliers are
 * shared between accounts; an account lists its own in account_suppliers. */
static const char v3_sql[] =
	"CREATE TABLE accounts("
	"  pers_acc TEXT PRIMARY KEY NOT NULL CHECK (length(pers_acc) BETWEEN 1 AND 15"
	"    AND pers_acc NOT GLOB '*[^0-9]*'),"
	"  owner_masked TEXT NOT NULL, address_masked TEXT NOT NULL, period TEXT NOT NULL,"
	"  due INTEGER NOT NULL CHECK (typeof(due) = 'integer'),"
	"  accrued INTEGER NOT NULL CHECK (typeof(accrued) = 'integer'),"
	"  paid INTEGER NOT NULL CHECK (typeof(paid) = 'integer'),"
	"  debt INTEGER NOT NULL CHECK (typeof(debt) = 'integer'),"
	"  details INTEGER NOT NULL CHECK (details IN (0, 1)),"
	"  updated_at_ms INTEGER NOT NULL) WITHOUT ROWID;"
	"CREATE TABLE services("
	"  pers_acc TEXT NOT NULL REFERENCES accounts(pers_acc) ON DELETE CASCADE,"
	"  pos INTEGER NOT NULL,"
	"  code TEXT NOT NULL, name TEXT NOT NULL, supplier_id TEXT NOT NULL,"
	"  accrued INTEGER NOT NULL CHECK (typeof(accrued) = 'integer'),"
	"  due INTEGER NOT NULL CHECK (typeof(due) = 'integer'),"
	"  PRIMARY KEY (pers_acc, pos)) WITHOUT ROWID;"
	"CREATE TABLE suppliers("
	"  id TEXT PRIMARY KEY NOT NULL,"
	"  name TEXT NOT NULL, inn TEXT NOT NULL, phone TEXT NOT NULL, address TEXT NOT NULL)"
	"  WITHOUT ROWID;"
	"CREATE TABLE account_suppliers("
	"  pers_acc TEXT NOT NULL REFERENCES accounts(pers_acc) ON DELETE CASCADE,"
	"  pos INTEGER NOT NULL,"
	"  supplier_id TEXT NOT NULL REFERENCES suppliers(id),"
	"  PRIMARY KEY (pers_acc, pos)) WITHOUT ROWID;"
	"CREATE TABLE meters("
	"  pers_acc TEXT NOT NULL REFERENCES accounts(pers_acc) ON DELETE CASCADE,"
	"  pos INTEGER NOT NULL,"
	"  id TEXT NOT NULL, serial TEXT NOT NULL, service TEXT NOT NULL, name TEXT NOT NULL,"
	"  unit TEXT NOT NULL,"
	"  digits INTEGER NOT NULL CHECK (digits BETWEEN 1 AND 12),"
	"  decimals INTEGER NOT NULL CHECK (decimals BETWEEN 0 AND 6),"
	"  last_value_milli INTEGER NOT NULL CHECK (typeof(last_value_milli) = 'integer'),"
	"  last_date TEXT NOT NULL,"
	"  max_monthly_milli INTEGER NOT NULL CHECK (typeof(max_monthly_milli) = 'integer'),"
	"  PRIMARY KEY (pers_acc, pos)) WITHOUT ROWID;";

/* v4: staff members and their PIN hashes (offline/staff.h): never the PIN itself. */
static const char v4_sql[] =
	"CREATE TABLE staff("
	"  name TEXT PRIMARY KEY NOT NULL CHECK (length(name) BETWEEN 1 AND 31),"
	"  role TEXT NOT NULL CHECK (role IN ('cashier','technician')),"
	"  salt BLOB NOT NULL CHECK (length(salt) = 16),"
	"  hash BLOB NOT NULL CHECK (length(hash) = 32),"
	"  iterations INTEGER NOT NULL CHECK (iterations >= 100000),"
	"  updated_ms INTEGER NOT NULL) WITHOUT ROWID;";

/* v5: the Vendotek terminal's operation numbers (offline/vtk_map.h).  VTK carries no
 * transaction id: each payment's txn id is tied to the terminal's operation number here,
 * before the terminal is asked anything, so that recovery can replay the same number. */
static const char v5_sql[] =
	"CREATE TABLE vtk_ops("
	"  txn_id TEXT PRIMARY KEY NOT NULL CHECK (length(txn_id) BETWEEN 1 AND 32),"
	"  op INTEGER NOT NULL CHECK (typeof(op) = 'integer' AND op BETWEEN 1 AND 99999999),"
	"  amount INTEGER NOT NULL CHECK (typeof(amount) = 'integer' AND amount > 0),"
	"  state TEXT NOT NULL CHECK (state IN ('vrp_sent','approved','declined','fin_sent','done')),"
	"  approved INTEGER NOT NULL CHECK (typeof(approved) = 'integer' AND approved >= 0),"
	"  fin_amount INTEGER NOT NULL CHECK (typeof(fin_amount) = 'integer' AND fin_amount >= -1),"
	"  fin_reply INTEGER NOT NULL CHECK (typeof(fin_reply) = 'integer'),"
	"  receipt TEXT NOT NULL,"
	"  created_ms INTEGER NOT NULL,"
	"  updated_ms INTEGER NOT NULL) WITHOUT ROWID;"
	"CREATE INDEX vtk_ops_op ON vtk_ops(op);";

/* v6: the fiscal receipt of a card payment (offline/journal_fiscal.h): 'closing' with the
 * last fiscal document before it, stored before the register is told to close the receipt;
 * 'made' with its attributes, written in the transaction that records the payment. */
static const char v6_sql[] =
	"CREATE TABLE journal_fiscal("
	"  txn_id TEXT PRIMARY KEY NOT NULL REFERENCES journal(txn_id),"
	"  state TEXT NOT NULL CHECK (state IN ('closing','made')),"
	"  fd0 INTEGER NOT NULL CHECK (fd0 BETWEEN 0 AND 4294967295),"
	"  fn_serial TEXT NOT NULL DEFAULT '',"
	"  fd INTEGER NOT NULL DEFAULT 0 CHECK (fd BETWEEN 0 AND 4294967295),"
	"  fp INTEGER NOT NULL DEFAULT 0 CHECK (fp BETWEEN 0 AND 4294967295),"
	"  doc_time TEXT NOT NULL DEFAULT '',"
	"  shift_no INTEGER NOT NULL DEFAULT 0,"
	"  number INTEGER NOT NULL DEFAULT 0,"
	"  updated_ms INTEGER NOT NULL,"
	"  CHECK (state = 'closing' OR (fd > 0 AND length(fn_serial) = 16))) WITHOUT ROWID;";

/* v7: the buyer's e-receipt address (tag 1008) given before the card, kept beside the
 * payment so a receipt rebuilt after a restart is the same receipt; and a receipt found
 * for a payment whose card was reversed (offline/journal_fiscal.h), with the refund
 * receipt the cashier made for it. */
static const char v7_sql[] =
	"CREATE TABLE journal_contact("
	"  txn_id TEXT PRIMARY KEY NOT NULL REFERENCES journal(txn_id),"
	"  contact TEXT NOT NULL CHECK (length(contact) BETWEEN 1 AND 64)) WITHOUT ROWID;"
	"CREATE TABLE fiscal_orphan("
	"  txn_id TEXT PRIMARY KEY NOT NULL REFERENCES journal(txn_id),"
	"  fn_serial TEXT NOT NULL,"
	"  fd INTEGER NOT NULL CHECK (fd BETWEEN 1 AND 4294967295),"
	"  fp INTEGER NOT NULL CHECK (fp BETWEEN 0 AND 4294967295),"
	"  doc_time TEXT NOT NULL,"
	"  found_ms INTEGER NOT NULL,"
	"  refund_fd0 INTEGER NOT NULL DEFAULT 0 CHECK (refund_fd0 BETWEEN 0 AND 4294967295),"
	"  refund_fd INTEGER NOT NULL DEFAULT 0 CHECK (refund_fd BETWEEN 0 AND 4294967295),"
	"  refund_fp INTEGER NOT NULL DEFAULT 0 CHECK (refund_fp BETWEEN 0 AND 4294967295),"
	"  refund_ms INTEGER) WITHOUT ROWID;";

const struct store_migration store_migrations[] = {
	{ .sql = v1_sql, .fn = v1_fn },
	{ .sql = v2_sql },
	{ .sql = v3_sql },
	{ .sql = v4_sql },
	{ .sql = v5_sql },
	{ .sql = v6_sql },
	{ .sql = v7_sql },
};
const int store_nmigrations = sizeof store_migrations / sizeof store_migrations[0];
