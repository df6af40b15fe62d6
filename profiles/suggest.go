package profiles

import "strings"

// maxSuggestDistance is how many typos (a letter added, dropped, changed, or two
// neighbours swapped) a near miss may have.
const maxSuggestDistance = 2

// minPrefix is the shortest start of a name that is taken for it ("roh" → "rohit").
const minPrefix = 3

// Suggest returns the handle or alias nearest to name, for a "did you mean" hint: one
// at most two typos away, else one that name starts (or that starts name). Ties go to
// the name listed first (handles sorted, each followed by its aliases). It works on at
// most a handle's length of name, so a hostile 10 000-character user name costs nothing.
func (r *Registry) Suggest(name string) (string, bool) {
	if name == "" || len(name) > 32+maxSuggestDistance {
		return "", false
	}
	name = strings.ToLower(name)
	best, bestScore := "", maxSuggestDistance+2
	for _, p := range r.snap.Load().list {
		for _, candidate := range p.Names() {
			score := maxSuggestDistance + 2 // no match
			if d := editDistance(name, candidate, maxSuggestDistance); d <= maxSuggestDistance {
				score = d
			} else if isNamePrefix(name, candidate) {
				score = maxSuggestDistance + 1 // weaker than any typo match
			}
			if score < bestScore {
				best, bestScore = candidate, score
			}
		}
	}
	return best, best != ""
}

// isNamePrefix reports whether one of a and b starts the other, the shorter having at
// least minPrefix bytes.
func isNamePrefix(a, b string) bool {
	if len(a) > len(b) {
		a, b = b, a
	}
	return len(a) >= minPrefix && strings.HasPrefix(b, a)
}

// editDistance is the optimal-string-alignment Damerau-Levenshtein distance between a
// and b (insertions, deletions, substitutions and swaps of adjacent bytes), or limit+1
// as soon as it is sure to exceed limit.
func editDistance(a, b string, limit int) int {
	if diff := len(a) - len(b); diff > limit || -diff > limit {
		return limit + 1
	}
	// Three rows of the dynamic-programming table: two back (for swaps), previous, current.
	prev2 := make([]int, len(b)+1)
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		rowMin := cur[0]
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				cur[j] = min(cur[j], prev2[j-2]+1)
			}
			rowMin = min(rowMin, cur[j])
		}
		if rowMin > limit {
			return limit + 1
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return min(prev[len(b)], limit+1)
}
