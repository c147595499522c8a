package azure

import (
	"github.com/selfhosted-hardening/selfhosted-hardening/graph"
	"github.com/selfhosted-hardening/selfhosted-hardening/model"
)

// databaseTypes are the database tokens; databaseNames their physical name
// outputs.
var (
	databaseTypes []string
	databaseNames map[string][]string
)

// databasePlacements are the databases as database-tier members.
func databasePlacements(*graph.Graph) []model.Placement { return nil }
