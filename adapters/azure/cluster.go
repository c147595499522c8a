package azure

import (
	"github.com/selfhosted-hardening/selfhosted-hardening/graph"
	"github.com/selfhosted-hardening/selfhosted-hardening/model"
)

// clusterTypes are the cluster and network tokens; clusterNames their
// physical name outputs.
var (
	clusterTypes []string
	clusterNames map[string][]string
)

// clusterPlacements are the nodes the service runs on, as app-tier members.
func clusterPlacements(*graph.Graph) []model.Placement { return nil }
