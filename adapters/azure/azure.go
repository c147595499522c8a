// Package azure is the adapter from azure-native (v2 and v3 tokens) to the guide's
// model (Azure: Storage accounts, MySQL Flexible Server, AKS and network security groups). It owns those type
// tokens; no policy names one. Each concern sits in its own file:
// storage.go (object stores), database.go (databases), cluster.go
// (clusters and the network in front of them).
package azure

import (
	"slices"

	"github.com/selfhosted-hardening/selfhosted-hardening/graph"
	"github.com/selfhosted-hardening/selfhosted-hardening/model"
)

// Adapter reads azure resources into the model.
type Adapter struct{ model.None }

// Types are the type tokens the adapter reads.
func (Adapter) Types() []string {
	return slices.Concat(storageTypes, databaseTypes, clusterTypes, networkTypes)
}

// PhysicalNames lists, per type, the outputs that hold a resource's
// physical name, by which other resources refer to it.
func (Adapter) PhysicalNames() map[string][]string {
	return model.MergeNames(storageNames, databaseNames)
}

// Placements returns the tier members: databases (database.go) and the
// nodes the service runs on (cluster.go).
func (Adapter) Placements(g *graph.Graph) []model.Placement {
	return slices.Concat(databasePlacements(g), clusterPlacements(g))
}

// memoKey keys what the adapter memoises per graph (graph.Memo).
type memoKey string
