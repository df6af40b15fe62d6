package store

import (
	"context"
	"fmt"
	"reflect"
	"sync"
	"testing"
)

// testCountsAddUp: two stores on one database (two replicas) adding to the same
// counters at the same time add up; nothing is overwritten, Counts filters by
// profile and day.
func testCountsAddUp(t *testing.T, location string) {
	a, b := open(t, location), open(t, location)
	ctx := context.Background()
	batch := []Count{
		{Day: "2026-12-01", Handle: "rohit", Kind: "visit", Name: "terminal", N: 2},
		{Day: "2026-12-01", Handle: "rohit", Kind: "section", Name: "Experience", Detail: "30", N: 1},
		{Day: "2026-11-30", Handle: "ankush", Kind: "visit", Name: "web", N: 1},
	}
	var wg sync.WaitGroup
	for _, s := range []Store{a, b} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 10 {
				if err := s.AddCounts(ctx, batch); err != nil {
					t.Error(err)
					return
				}
			}
		}()
	}
	wg.Wait()
	got, err := a.Counts(ctx, "", "2026-11-01")
	if err != nil {
		t.Fatal(err)
	}
	want := []Count{
		{Day: "2026-11-30", Handle: "ankush", Kind: "visit", Name: "web", N: 20},
		{Day: "2026-12-01", Handle: "rohit", Kind: "section", Name: "Experience", Detail: "30", N: 20},
		{Day: "2026-12-01", Handle: "rohit", Kind: "visit", Name: "terminal", N: 40},
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("Counts after two writers:\n got %+v\nwant %+v", got, want)
	}
	only, err := b.Counts(ctx, "rohit", "2026-12-01")
	if err != nil || len(only) != 2 || only[0].Handle != "rohit" {
		t.Fatalf("Counts(rohit, 2026-12-01) = %+v, %v", only, err)
	}
	var many []Count // more than one INSERT's worth
	for i := range 250 {
		many = append(many, Count{Day: "2026-10-01", Handle: "many", Kind: "section", Name: fmt.Sprint("s", i), N: int64(i)})
	}
	if err := a.AddCounts(ctx, many); err != nil {
		t.Fatal(err)
	}
	if got, err := a.Counts(ctx, "many", "2026-10-01"); err != nil || len(got) != 250 {
		t.Fatalf("250 counters written, %d read back (%v)", len(got), err)
	}
	if err := a.AddCounts(ctx, []Count{{Handle: "rohit", Kind: "visit", N: 1}}); err == nil {
		t.Fatal("a count without a day was accepted")
	}
	if again, _ := a.Counts(ctx, "", "2026-11-01"); !reflect.DeepEqual(again, want) {
		t.Fatalf("a refused batch changed the counts: %+v", again)
	}
}
