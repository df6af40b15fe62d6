package store

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"os"
	"path/filepath"

	_ "modernc.org/sqlite" // the pure-Go SQLite driver: the binary stays static
)

// SQLiteFile is the database's file name inside the data folder.
const SQLiteFile = "sshcv.db"

var sqliteDialect = &dialect{name: "sqlite", id: "INTEGER PRIMARY KEY AUTOINCREMENT"}

// OpenSQLite opens (creating it when needed) the SQLite database in folder dir and
// applies the migrations. The database runs in WAL mode with synchronous=FULL, so a
// committed message survives the process being killed and the machine losing power.
// Write transactions start IMMEDIATE and wait up to 5 s for another process (an
// `sshcv inbox` beside the server) instead of failing.
func OpenSQLite(ctx context.Context, dir string) (Store, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("store: data folder: %w", err)
	}
	path := filepath.Join(dir, SQLiteFile)
	q := url.Values{}
	q.Add("_pragma", "busy_timeout(5000)")
	q.Add("_pragma", "journal_mode(WAL)")
	q.Add("_pragma", "synchronous(FULL)")
	q.Add("_pragma", "foreign_keys(1)")
	q.Set("_txlock", "immediate")
	db, err := sql.Open("sqlite", "file:"+path+"?"+q.Encode())
	if err != nil {
		return nil, fmt.Errorf("store: %w", err)
	}
	// One connection: SQLite has one writer at a time anyway, and a single connection
	// never waits on itself for the write lock.
	db.SetMaxOpenConns(1)
	var mode string
	if err := db.QueryRowContext(ctx, "PRAGMA journal_mode").Scan(&mode); err != nil {
		db.Close()
		return nil, fmt.Errorf("store: opening %s: %w", path, err)
	}
	if mode != "wal" {
		db.Close()
		return nil, fmt.Errorf("store: %s: journal mode is %q, want wal", path, mode)
	}
	if err := migrate(ctx, db, sqliteDialect); err != nil {
		db.Close()
		return nil, err
	}
	return &sqlStore{db: db, d: sqliteDialect}, nil
}
