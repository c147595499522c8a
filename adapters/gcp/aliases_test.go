package gcp_test

// Shorthands for the documents the concern files' tests build (one
// declaration for all of them).
type (
	m = map[string]any
	l = []any
)
