package azure_test

// Shorthands for inputs, shared by the package's tests.
type (
	m = map[string]any
	l = []any
)
