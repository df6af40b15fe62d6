package store

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"io"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
)

// The PostgreSQL store talks to the server through pgconn, pgx's wire-protocol layer,
// behind this small database/sql driver: the queries are written once for both
// databases (sqlstore.go), and the binary leaves out pgx's type system (pgtype),
// about 2 MB it would not use. Parameters are sent and results read as text, which
// database/sql converts into the int64, string and bool columns the store scans.

func init() { sql.Register("sshcv-pgconn", pgDriver{}) }

type pgDriver struct{}

func (pgDriver) Open(url string) (driver.Conn, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	c, err := pgconn.Connect(ctx, url)
	if err != nil {
		return nil, err
	}
	return &pgConn{c: c}, nil
}

// pgConn is one connection; database/sql pools them and uses each from one
// goroutine at a time.
type pgConn struct{ c *pgconn.PgConn }

var (
	_ driver.ExecerContext  = (*pgConn)(nil)
	_ driver.QueryerContext = (*pgConn)(nil)
	_ driver.ConnBeginTx    = (*pgConn)(nil)
	_ driver.Validator      = (*pgConn)(nil)
)

func (c *pgConn) Prepare(string) (driver.Stmt, error) {
	return nil, errors.New("store: prepared statements are not used")
}

func (c *pgConn) Close() error {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	return c.c.Close(ctx)
}

func (c *pgConn) IsValid() bool { return !c.c.IsClosed() }

func (c *pgConn) Begin() (driver.Tx, error) {
	return c.BeginTx(context.Background(), driver.TxOptions{})
}

func (c *pgConn) BeginTx(ctx context.Context, opts driver.TxOptions) (driver.Tx, error) {
	if opts.ReadOnly || opts.Isolation != driver.IsolationLevel(sql.LevelDefault) {
		return nil, errors.New("store: only default transactions are used")
	}
	if err := c.simple(ctx, "BEGIN"); err != nil {
		return nil, err
	}
	return pgTx{c}, nil
}

type pgTx struct{ c *pgConn }

func (t pgTx) Commit() error   { return t.c.simple(context.Background(), "COMMIT") }
func (t pgTx) Rollback() error { return t.c.simple(context.Background(), "ROLLBACK") }

// simple runs SQL without parameters (several statements are allowed: migrations).
func (c *pgConn) simple(ctx context.Context, query string) error {
	if c.c.IsClosed() {
		return driver.ErrBadConn
	}
	_, err := c.c.Exec(ctx, query).ReadAll()
	return err
}

func (c *pgConn) ExecContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Result, error) {
	if len(args) == 0 {
		return driver.RowsAffected(0), c.simple(ctx, query)
	}
	res, err := c.run(ctx, query, args)
	if err != nil {
		return nil, err
	}
	return driver.RowsAffected(res.CommandTag.RowsAffected()), nil
}

func (c *pgConn) QueryContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Rows, error) {
	res, err := c.run(ctx, query, args)
	if err != nil {
		return nil, err
	}
	cols := make([]string, len(res.FieldDescriptions))
	for i, f := range res.FieldDescriptions {
		cols[i] = f.Name
	}
	return &pgRows{cols: cols, rows: res.Rows}, nil
}

// run sends one statement with text parameters and reads its whole result: the
// store's results are a page of messages at most.
func (c *pgConn) run(ctx context.Context, query string, args []driver.NamedValue) (*pgconn.Result, error) {
	if c.c.IsClosed() {
		return nil, driver.ErrBadConn
	}
	params := make([][]byte, len(args))
	for i, a := range args {
		switch v := a.Value.(type) {
		case nil:
		case int64:
			params[i] = strconv.AppendInt(nil, v, 10)
		case string:
			params[i] = []byte(v)
		case []byte:
			params[i] = v
		case bool:
			params[i] = []byte(strconv.FormatBool(v))
		default:
			return nil, fmt.Errorf("store: parameter %d: %T is not sent to PostgreSQL", i+1, v)
		}
	}
	res := c.c.ExecParams(ctx, query, params, nil, nil, nil).Read()
	return res, res.Err
}

// pgRows hands out a result's rows as text ([]byte), NULL as nil.
type pgRows struct {
	cols []string
	rows [][][]byte
}

func (r *pgRows) Columns() []string { return r.cols }
func (r *pgRows) Close() error      { return nil }

func (r *pgRows) Next(dest []driver.Value) error {
	if len(r.rows) == 0 {
		return io.EOF
	}
	row := r.rows[0]
	r.rows = r.rows[1:]
	for i := range dest {
		if row[i] == nil {
			dest[i] = nil
		} else {
			dest[i] = row[i]
		}
	}
	return nil
}
