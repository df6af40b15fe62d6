package store

import (
	"context"
	"database/sql"
	"embed"
	"fmt"
	"io/fs"
	"sort"
	"strconv"
	"strings"
	"time"
)

// migrations holds the schema, one file per version: NNNN_what.sql, applied in the
// order of NNNN, each exactly once per database. A file is plain SQL that both
// SQLite and PostgreSQL accept, with one word spelled differently by the two:
// {{id}} stands for an auto-numbered 64-bit primary key. Times are stored as
// BIGINT microseconds since 1970 UTC, flags as nullable times, so both databases
// read the same columns the same way.
//
//go:embed migrations/*.sql
var migrations embed.FS

type migration struct {
	version int
	name    string
	sql     string
}

// loadMigrations reads the embedded files in version order and refuses a file name
// without a version or two files with one version.
func loadMigrations() ([]migration, error) {
	files, err := fs.Glob(migrations, "migrations/*.sql")
	if err != nil {
		return nil, err
	}
	var out []migration
	seen := map[int]string{}
	for _, f := range files {
		name := strings.TrimPrefix(f, "migrations/")
		num, _, ok := strings.Cut(name, "_")
		v, err := strconv.Atoi(num)
		if !ok || err != nil || v <= 0 {
			return nil, fmt.Errorf("store: migration %s: the name must start with a version number and '_'", name)
		}
		if other, dup := seen[v]; dup {
			return nil, fmt.Errorf("store: migrations %s and %s have the same version", other, name)
		}
		seen[v] = name
		b, err := migrations.ReadFile(f)
		if err != nil {
			return nil, err
		}
		out = append(out, migration{version: v, name: name, sql: string(b)})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].version < out[j].version })
	return out, nil
}

// migrate brings db to the newest schema in one transaction: several processes
// starting at once on one PostgreSQL database wait for each other (d.lockMigrations),
// and a failed migration leaves the database as it was. A database whose schema is
// newer than this binary knows is refused, so an old binary never writes to it.
func migrate(ctx context.Context, db *sql.DB, d *dialect) error {
	all, err := loadMigrations()
	if err != nil {
		return err
	}
	if _, err := db.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		version BIGINT PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)`); err != nil {
		return fmt.Errorf("store: creating schema_migrations: %w", err)
	}
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer func() { _ = tx.Rollback() }() // a no-op once committed
	if d.lockMigrations != "" {
		if _, err := tx.ExecContext(ctx, d.lockMigrations); err != nil {
			return fmt.Errorf("store: waiting for other processes' migrations: %w", err)
		}
	}
	var newest int
	if err := tx.QueryRowContext(ctx, `SELECT COALESCE(MAX(version), 0) FROM schema_migrations`).Scan(&newest); err != nil {
		return fmt.Errorf("store: reading the schema version: %w", err)
	}
	if known := all[len(all)-1].version; newest > known {
		return fmt.Errorf("store: the database has schema version %d, newer than this sshcv knows (%d): use a newer sshcv", newest, known)
	}
	for _, m := range all {
		if m.version <= newest {
			continue
		}
		if _, err := tx.ExecContext(ctx, strings.ReplaceAll(m.sql, "{{id}}", d.id)); err != nil {
			return fmt.Errorf("store: migration %s: %w", m.name, err)
		}
		if _, err := tx.ExecContext(ctx, d.rebind(`INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)`),
			m.version, m.name, micros(time.Now())); err != nil {
			return fmt.Errorf("store: recording migration %s: %w", m.name, err)
		}
	}
	return tx.Commit()
}

// micros and fromMicros convert between time.Time and the stored BIGINT.
func micros(t time.Time) int64 { return t.UnixMicro() }

func fromMicros(us int64) time.Time { return time.UnixMicro(us).UTC() }
