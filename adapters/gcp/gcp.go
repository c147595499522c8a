// Package gcp is the adapter from pulumi-gcp (v8 and v9 shapes) to the guide's
// model (Google Cloud: Cloud Storage, Cloud SQL, GKE and firewall rules). It owns those type
// tokens; no policy names one. Each concern sits in its own file:
// storage.go (object stores), database.go (databases), cluster.go
// (clusters and the network in front of them).
package gcp

import (
	"slices"

	"github.com/selfhosted-hardening/selfhosted-hardening/graph"
	"github.com/selfhosted-hardening/selfhosted-hardening/model"
)

// Adapter reads gcp resources into the model.
type Adapter struct{ model.None }

// Types are the type tokens the adapter reads.
func (Adapter) Types() []string {
	return slices.Concat(storageTypes, databaseTypes, clusterTypes, firewallTypes)
}

// PhysicalNames lists, per type, the outputs that hold a resource's
// physical name, by which other resources refer to it.
func (Adapter) PhysicalNames() map[string][]string {
	return model.MergeNames(storageNames)
}

// Placements returns the tier members: databases (database.go) and the
// nodes the service runs on (cluster.go).
func (Adapter) Placements(g *graph.Graph) []model.Placement {
	return slices.Concat(databasePlacements(g), clusterPlacements(g))
}

// memoKey keys what the adapter memoises per graph (graph.Memo).
type memoKey string
