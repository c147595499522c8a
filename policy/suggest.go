package policy

import (
	"strings"
	"unicode/utf8"
)

// maxSuggestLen bounds the names Nearest compares, so a pasted paragraph in a
// tag or a config key costs nothing.
const maxSuggestLen = 128

// Nearest returns the candidate closest to name by edit distance (ignoring
// case; ties go to the earlier candidate), and whether it is close enough to
// be what was meant: at most a third of the shorter name's length in edits,
// and at least one. A name longer than maxSuggestLen runes is compared by its
// start and is never close.
func Nearest(name string, candidates []string) (string, bool) {
	if name == "" {
		return "", false
	}
	long := utf8.RuneCountInString(name) > maxSuggestLen
	if long {
		name = string([]rune(name)[:maxSuggestLen])
	}
	best, bestD := "", -1
	for _, c := range candidates {
		d := editDistance(strings.ToLower(name), strings.ToLower(c))
		if bestD < 0 || d < bestD {
			best, bestD = c, d
		}
	}
	if bestD < 0 {
		return "", false
	}
	limit := min(utf8.RuneCountInString(name), utf8.RuneCountInString(best)) / 3
	return best, !long && bestD <= max(limit, 1)
}

// editDistance is the Levenshtein distance between a and b in runes:
// insertions, deletions and substitutions.
func editDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}
