package store

import (
	"context"
	"fmt"
	"strings"
)

// countsPerInsert bounds the rows of one INSERT (six parameters each).
const countsPerInsert = 100

// Count is one additive counter of the owner's view counts (see the view_counts
// migration): on Day (UTC, "2006-01-02"), for the profile Handle, N more of Kind
// Name Detail.
type Count struct {
	Day    string `json:"day"`
	Handle string `json:"handle"`
	Kind   string `json:"kind"`
	Name   string `json:"name,omitempty"`
	Detail string `json:"detail,omitempty"`
	N      int64  `json:"n"`
}

func (s *sqlStore) AddCounts(ctx context.Context, counts []Count) error {
	if len(counts) == 0 {
		return nil
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("store: %w", err)
	}
	defer func() { _ = tx.Rollback() }() // a no-op once committed
	for _, c := range counts {
		if c.Day == "" || c.Handle == "" || c.Kind == "" {
			return fmt.Errorf("store: a count needs a day, a handle and a kind")
		}
	}
	// A few statements of many rows each: one round trip per countsPerInsert
	// counters. The rows of one statement must not repeat a counter (PostgreSQL
	// refuses to update a row twice in one statement); callers add each once.
	for len(counts) > 0 {
		chunk := counts[:min(len(counts), countsPerInsert)]
		counts = counts[len(chunk):]
		var q strings.Builder
		q.WriteString(`INSERT INTO view_counts (day, handle, kind, name, detail, n) VALUES `)
		args := make([]any, 0, 6*len(chunk))
		for i, c := range chunk {
			if i > 0 {
				q.WriteString(", ")
			}
			q.WriteString("(?, ?, ?, ?, ?, ?)")
			args = append(args, c.Day, c.Handle, c.Kind, c.Name, c.Detail, c.N)
		}
		q.WriteString(` ON CONFLICT (day, handle, kind, name, detail) DO UPDATE SET n = view_counts.n + excluded.n`)
		if _, err := tx.ExecContext(ctx, s.q(q.String()), args...); err != nil {
			return fmt.Errorf("store: %w", err)
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("store: %w", err)
	}
	return nil
}

func (s *sqlStore) Counts(ctx context.Context, handle, since string) ([]Count, error) {
	rows, err := s.db.QueryContext(ctx, s.q(`SELECT day, handle, kind, name, detail, n FROM view_counts
		WHERE day >= ? AND (? = '' OR handle = ?) ORDER BY day, handle, kind, name, detail`), since, handle, handle)
	if err != nil {
		return nil, fmt.Errorf("store: %w", err)
	}
	defer rows.Close()
	var out []Count
	for rows.Next() {
		var c Count
		if err := rows.Scan(&c.Day, &c.Handle, &c.Kind, &c.Name, &c.Detail, &c.N); err != nil {
			return nil, fmt.Errorf("store: %w", err)
		}
		out = append(out, c)
	}
	return out, rows.Err()
}
