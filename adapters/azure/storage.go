package azure

// storageTypes are the object-store tokens; storageNames their physical
// name outputs.
var (
	storageTypes []string
	storageNames map[string][]string
)
