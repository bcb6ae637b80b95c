// Package bolt is whereto's store, an adapter of the directory package's
// store contract (directory.Store) to one bbolt file holding the directory of
// services, its audit log, conversation sessions, anonymous usage counts and
// channel cursors. It is the only package that imports go.etcd.io/bbolt.
//
// # Bucket layout
//
// Every bucket is created once, by Open. Keys sort, so a cursor walks them in
// a useful order.
//
//	bucket    key                          value
//	--------  ---------------------------  ------------------------------------------
//	meta      "schema"                     SchemaVersion in decimal ASCII ("1")
//	meta      "seeded"                     RFC 3339 time the file was first seeded
//	meta      "partnership"                JSON directory.Partnership
//	meta      "bank_holidays"              JSON []directory.Holiday (absent in older
//	                                       files: the embedded default's list)
//	services  service id ("mash")          JSON directory.Service
//	audit     8-byte big-endian uint64     JSON directory.AuditEntry
//	          from Bucket.NextSequence
//	sessions  "channel:chat"               8-byte big-endian int64 expiry (Unix
//	                                       seconds), then the caller's opaque bytes
//	stats     "YYYY-MM-DD:route"           8-byte big-endian uint64 count
//	cursors   name ("telegram")            8-byte big-endian int64
//	seen      "namespace:id"               8-byte big-endian int64 expiry (Unix
//	                                       seconds): ids already handled, such as
//	                                       Telegram update ids or Slack event ids
//	settings  name                         the caller's bytes (e.g. a generated
//	                                       webhook secret)
//
// The directory is loaded from meta "partnership" and the services bucket
// (in key order, so by id) into an in-memory snapshot that Directory returns
// without touching the file.
//
// # Seeding
//
// A file that has never been seeded (no meta "seeded") gets the seed
// directory (Options.Seed, or directory.Default) in a single transaction:
// every service, the partnership, one audit entry per service (action
// "seed") and the "seeded" mark. After that the file is the truth: a later
// Open never seeds again, even when staff have deleted services, so staff
// edits are never overwritten by the embedded default.
//
// # What is written when
//
// Things that must not be lost are written synchronously, each in its own
// db.Update, which bbolt fsyncs before it returns: directory edits together
// with their audit entries, cursors (the Telegram update offset; losing it
// would replay old messages), marks of handled ids (MarkSeen, which groups
// concurrent calls into one transaction with db.Batch), settings, and
// DeleteSession (it backs /forget, so a
// person's session must be gone from the disk when the bot says it is).
//
// Sessions and stats are write-behind. PutSession and CountRoute only update
// an in-memory buffer; a background flusher writes the whole buffer in one
// transaction every Options.FlushInterval, and Close writes what is left.
// One fsync per chat message would cap the bot at the disk's fsync rate;
// the buffer turns any number of session writes and counts in an interval
// into one transaction. What that costs is bounded and acceptable: after a
// crash (not a clean Close) up to one interval of session updates and counts
// is lost, and a conversation restarts from its previous step. Reads (Session,
// Stats) see buffered values, so callers never notice the buffer.
//
// # Damage
//
// CopyChecked copies a file (a backup before it is restored) beside the
// database and checks the copy, which the caller then renames into place:
// the file must be as long as its meta page says, pass bbolt's consistency
// check, and have every meta, services and audit record decode as the
// store reads it. A damaged file, or an audit entry History or
// RecordRefusal cannot decode, gives an error wrapping ErrDamaged, never a
// panic.
//
// # Privacy
//
// A session value is the caller's opaque encoding of where a conversation
// is (its step and choices) and when it expires. By the caller's contract it
// never contains what a person typed; this package cannot check that, and
// does not log anything. Stats are counts per day and route, nothing else.
package bolt
