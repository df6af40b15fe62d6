package main

import (
	"cmp"
	"math"
	"slices"
	"time"
)

// percentile returns the p-th percentile (0 < p ≤ 100) of values by the nearest-rank
// method: the smallest value that at least p % of the values are less than or equal
// to. It never interpolates, so every figure reported is one that was measured. It
// returns the zero value for no values.
func percentile[T cmp.Ordered](values []T, p float64) T {
	var zero T
	if len(values) == 0 || p <= 0 {
		return zero
	}
	sorted := slices.Clone(values)
	slices.Sort(sorted)
	rank := int(math.Ceil(p / 100 * float64(len(sorted))))
	rank = min(max(rank, 1), len(sorted))
	return sorted[rank-1]
}

// spread is the p50/p90/p99 of a set of durations, in milliseconds.
type spread struct {
	Count int     `json:"count"`
	P50   float64 `json:"p50_ms"`
	P90   float64 `json:"p90_ms"`
	P99   float64 `json:"p99_ms"`
}

func spreadOf(d []time.Duration) spread {
	ms := func(v time.Duration) float64 { return float64(v) / float64(time.Millisecond) }
	return spread{
		Count: len(d),
		P50:   ms(percentile(d, 50)),
		P90:   ms(percentile(d, 90)),
		P99:   ms(percentile(d, 99)),
	}
}
