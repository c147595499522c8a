// Package kube reads Kubernetes workloads (Pods, Deployments, StatefulSets,
// DaemonSets, ReplicaSets, Jobs, CronJobs) into the workload view of their
// containers and init containers: image, and per environment variable where
// its value comes from (a literal value, a Secret, a ConfigMap, a field of
// the pod). envFrom and configMapKeyRef are joined to the Secrets and
// ConfigMaps of the stack by namespace and name (in preview, while a name is
// not known, by the workload's property dependencies), so that the keys they
// hold count as set and a ConfigMap's values can be read.
//
// Each workload's pod spec is walked once per resource (graph.Resource.Memo);
// what the walk finds unknown or malformed is noted again through the
// reader of every policy that asks, so each policy reports it as its own.
package kube

import (
	"encoding/base64"
	"fmt"
	"strings"

	"github.com/selfhosted-hardening/selfhosted-hardening/graph"
	"github.com/selfhosted-hardening/selfhosted-hardening/policy"
	"github.com/selfhosted-hardening/selfhosted-hardening/props"
	"github.com/selfhosted-hardening/selfhosted-hardening/workload"
)

// Type tokens of pulumi-kubernetes.
const (
	TypeSecret    = "kubernetes:core/v1:Secret"
	TypeConfigMap = "kubernetes:core/v1:ConfigMap"
)

// podSpecs maps each workload type to where its pod spec sits.
var podSpecs = map[string]string{
	"kubernetes:core/v1:Pod":                   "spec",
	"kubernetes:apps/v1:Deployment":            "spec.template.spec",
	"kubernetes:apps/v1:StatefulSet":           "spec.template.spec",
	"kubernetes:apps/v1:DaemonSet":             "spec.template.spec",
	"kubernetes:apps/v1:ReplicaSet":            "spec.template.spec",
	"kubernetes:apps/v1beta1:Deployment":       "spec.template.spec",
	"kubernetes:apps/v1beta2:Deployment":       "spec.template.spec",
	"kubernetes:extensions/v1beta1:Deployment": "spec.template.spec",
	"kubernetes:batch/v1:Job":                  "spec.template.spec",
	"kubernetes:batch/v1:CronJob":              "spec.jobTemplate.spec.template.spec",
	"kubernetes:batch/v1beta1:CronJob":         "spec.jobTemplate.spec.template.spec",
}

// Types lists the workload type tokens the package reads.
var Types = func() []string {
	out := make([]string, 0, len(podSpecs))
	for t := range podSpecs {
		out = append(out, t)
	}
	sortStrings(out)
	return out
}()

// IsWorkload reports whether a type token is a workload this package reads.
func IsWorkload(typ string) bool { _, ok := podSpecs[typ]; return ok }

// note is something the walk found unknown (Unknown true: a property path)
// or malformed (a problem).
type note struct {
	unknown bool
	text    string
}

// ref is a reference from a workload to a ConfigMap or Secret: by name
// (Value, when known) within the workload's namespace.
type ref struct {
	kind  string // TypeConfigMap or TypeSecret
	name  props.Value
	path  string // where the reference sits, for notes and messages
	key   string // configMapKeyRef: the key; envFrom: ""
	index int    // configMapKeyRef: the variable it fills
	// envFrom
	prefix string
}

type parsedContainer struct {
	c    workload.Container
	refs []ref
}

type parsed struct {
	namespace string
	// nsUnknown: metadata.namespace is not known until update, so no
	// reference can be joined by namespace and name.
	nsUnknown  bool
	containers []parsedContainer
	notes      []note
	// blind: which containers the workload runs, or their images, is not
	// known until update.
	blind bool
}

type memoKey struct{}

// parse walks a workload once per resource.
func parse(r *graph.Resource) *parsed {
	return r.Memo(memoKey{}, func() any { return walk(r) }).(*parsed)
}

func walk(r *graph.Resource) *parsed {
	p := &parsed{}
	base := podSpecs[r.Type]
	ns := r.Props.Get(pMetaNamespace)
	if s, ok := ns.Str(); ok {
		p.namespace = s
	}
	p.nsUnknown = ns.IsUnknown()
	spec := r.Props.Get(props.MustPath(base))
	switch spec.Kind() {
	case props.Null:
		return p
	case props.Unknown:
		p.unknown(base)
		p.blind = true
		return p
	case props.Object:
	default:
		p.invalid("%s is %s, expected an object", base, spec.Kind())
		p.blind = true
		return p
	}
	secretVolumes := p.secretVolumes(spec.Field("volumes"), base+".volumes")
	for _, list := range []string{"initContainers", "containers"} {
		at := base + "." + list
		items := spec.Field(list)
		switch items.Kind() {
		case props.Null:
			continue
		case props.Unknown:
			p.unknown(at)
			p.blind = true
			continue
		case props.Array:
		default:
			p.invalid("%s is %s, expected an array", at, items.Kind())
			p.blind = true
			continue
		}
		for i := 0; i < items.Len(); i++ {
			item := items.Index(i)
			cat := fmt.Sprintf("%s[%d]", at, i)
			switch item.Kind() {
			case props.Object:
			case props.Unknown:
				p.unknown(cat)
				p.blind = true
				continue
			default:
				p.invalid("%s is %s, expected a container object", cat, item.Kind())
				p.blind = true
				continue
			}
			p.containers = append(p.containers, p.container(r, item, cat, secretVolumes))
		}
	}
	return p
}

func (p *parsed) unknown(path string) { p.notes = append(p.notes, note{true, path}) }

func (p *parsed) invalid(format string, args ...any) {
	p.notes = append(p.notes, note{false, fmt.Sprintf(format, args...)})
}

// secretVolumes maps volume names to the Secrets they mount.
func (p *parsed) secretVolumes(vols props.Value, at string) map[string]string {
	out := map[string]string{}
	for i := 0; i < vols.Len() && vols.Kind() == props.Array; i++ {
		v := vols.Index(i)
		name, _ := v.Field("name").Str()
		sec := v.Field("secret")
		if name == "" || sec.Kind() != props.Object {
			continue
		}
		out[name] = "Secret " + describeName(sec.Field("secretName"))
	}
	return out
}

func (p *parsed) container(r *graph.Resource, item props.Value, at string, secretVolumes map[string]string) parsedContainer {
	pc := parsedContainer{c: workload.Container{Owner: r, Label: at}}
	c := &pc.c
	c.Name, _ = item.Field("name").Str()
	if c.Name != "" {
		c.Label = fmt.Sprintf("%s (%q)", at, c.Name)
	}
	switch img := item.Field("image"); img.Kind() {
	case props.String:
		c.Image, _ = img.Str()
	case props.Unknown:
		p.unknown(at + ".image")
		p.blind = true
	case props.Null:
	default:
		p.invalid("%s.image is %s, expected a string", at, item.Field("image").Kind())
		p.blind = true
	}
	p.env(&pc, item.Field("env"), at+".env")
	p.envFrom(&pc, item.Field("envFrom"), at+".envFrom")
	mounts := item.Field("volumeMounts")
	for i := 0; i < mounts.Len() && mounts.Kind() == props.Array; i++ {
		m := mounts.Index(i)
		name, _ := m.Field("name").Str()
		if sec, ok := secretVolumes[name]; ok {
			path, _ := m.Field("mountPath").Str()
			c.SecretVolumes = append(c.SecretVolumes, sec+" at "+path)
		}
	}
	return pc
}

// list reports whether a container's env or envFrom is a list to read:
// absent is none; unknown or of another type is noted and leaves the
// container's environment pending.
func (p *parsed) list(c *workload.Container, list props.Value, at string) bool {
	switch list.Kind() {
	case props.Array:
		return true
	case props.Null:
	case props.Unknown:
		p.unknown(at)
		c.Pending = true
	default:
		p.invalid("%s is %s, expected an array", at, list.Kind())
		c.Pending = true
	}
	return false
}

func (p *parsed) env(pc *parsedContainer, list props.Value, at string) {
	c := &pc.c
	if !p.list(c, list, at) {
		return
	}
	for i := 0; i < list.Len(); i++ {
		e := list.Index(i)
		where := fmt.Sprintf("%s[%d]", at, i)
		if e.Kind() == props.Unknown {
			p.unknown(where)
			c.Pending = true
			continue
		}
		nameV := e.Field("name")
		name, ok := nameV.Str()
		switch {
		case nameV.IsUnknown():
			p.unknown(where + ".name")
			c.Pending = true
			continue
		case e.Kind() != props.Object || !ok || strings.TrimSpace(name) == "":
			p.invalid("%s has no name", where)
			continue
		}
		v := workload.Var{Name: name, Path: where, Source: workload.Plain, Value: e.Field("value")}
		from := e.Field("valueFrom")
		switch from.Kind() {
		case props.Null:
			if v.Value.IsNull() {
				v.Value = props.NewString("") // an empty value
			}
		case props.Unknown:
			p.unknown(where + ".valueFrom")
			c.Pending = true
			continue
		case props.Object:
			v.Value = props.NewNull()
			switch {
			case from.Field("secretKeyRef").Kind() != props.Null:
				sel := from.Field("secretKeyRef")
				v.Source = workload.SecretStore
				v.From = fmt.Sprintf("Secret %s key %s", describeName(sel.Field("name")), describeName(sel.Field("key")))
				// Joined to a Secret of the stack, to tell an empty value.
				key, _ := sel.Field("key").Str()
				pc.refs = append(pc.refs, ref{kind: TypeSecret, name: sel.Field("name"), key: key,
					path: where + ".valueFrom.secretKeyRef.name", index: len(c.Vars)})
			case from.Field("configMapKeyRef").Kind() != props.Null:
				sel := from.Field("configMapKeyRef")
				v.Source = workload.ConfigMap
				key, _ := sel.Field("key").Str()
				v.From = fmt.Sprintf("ConfigMap %s key %s", describeName(sel.Field("name")), describeName(sel.Field("key")))
				pc.refs = append(pc.refs, ref{kind: TypeConfigMap, name: sel.Field("name"), key: key,
					path: where + ".valueFrom.configMapKeyRef.name", index: len(c.Vars)})
			case from.Field("fieldRef").Kind() != props.Null || from.Field("resourceFieldRef").Kind() != props.Null:
				v.Source = workload.Computed
			default:
				p.invalid("%s.valueFrom names no source (secretKeyRef, configMapKeyRef, fieldRef or resourceFieldRef)",
					where)
				continue
			}
		default:
			p.invalid("%s.valueFrom is %s, expected an object", where, from.Kind())
			continue
		}
		c.Vars = append(c.Vars, v)
	}
}

func (p *parsed) envFrom(pc *parsedContainer, list props.Value, at string) {
	c := &pc.c
	if !p.list(c, list, at) {
		return
	}
	for i := 0; i < list.Len(); i++ {
		e := list.Index(i)
		where := fmt.Sprintf("%s[%d]", at, i)
		prefix, _ := e.Field("prefix").Str()
		switch {
		case e.Kind() == props.Unknown:
			p.unknown(where)
			c.Pending = true
		case e.Field("secretRef").Kind() == props.Object:
			pc.refs = append(pc.refs, ref{kind: TypeSecret, name: e.Field("secretRef").Field("name"),
				path: where + ".secretRef.name", prefix: prefix, index: -1})
		case e.Field("configMapRef").Kind() == props.Object:
			pc.refs = append(pc.refs, ref{kind: TypeConfigMap, name: e.Field("configMapRef").Field("name"),
				path: where + ".configMapRef.name", prefix: prefix, index: -1})
		default:
			p.invalid("%s names neither a secretRef nor a configMapRef", where)
			c.Pending = true
		}
	}
}

func describeName(v props.Value) string {
	switch {
	case v.IsSecret():
		return v.Describe()
	case v.IsUnknown():
		return "(known after update)"
	}
	if s, ok := v.Str(); ok {
		return fmt.Sprintf("%q", s)
	}
	return v.Describe()
}

func sortStrings(s []string) {
	for i := 1; i < len(s); i++ {
		for j := i; j > 0 && s[j] < s[j-1]; j-- {
			s[j], s[j-1] = s[j-1], s[j]
		}
	}
}

// Containers returns the containers and init containers of a workload whose
// image keep accepts, with their references to the stack's ConfigMaps and
// Secrets joined. What is unknown or malformed is noted through ctx's reader
// for r, unless no container is kept and all images are known (the workload
// is not one the caller judges).
func Containers(ctx *policy.StackContext, r *graph.Resource, keep func(image string) bool) []workload.Container {
	p := parse(r)
	var out []workload.Container
	var refs [][]ref
	for _, pc := range p.containers {
		if keep(pc.c.Image) {
			out = append(out, pc.c)
			refs = append(refs, pc.refs)
		}
	}
	if len(out) == 0 && !p.blind {
		return nil
	}
	rd := ctx.Read(r)
	for _, n := range p.notes {
		if n.unknown {
			rd.NoteUnknown(n.text)
		} else {
			rd.NoteInvalid(n.text)
		}
	}
	for i := range out {
		if len(refs[i]) == 0 {
			continue
		}
		c := &out[i]
		c.Vars = append([]workload.Var(nil), c.Vars...)
		if p.nsUnknown {
			rd.NoteUnknown("metadata.namespace")
			for _, rf := range refs[i] {
				if rf.name.IsUnknown() {
					rd.NoteUnknown(rf.path)
				}
			}
			c.Pending = true
			continue
		}
		for _, rf := range refs[i] {
			resolve(ctx, r, p.namespace, rf, c)
		}
	}
	return out
}

// resolve joins one reference to its ConfigMap or Secret and fills in what
// it gives the container.
func resolve(ctx *policy.StackContext, r *graph.Resource, namespace string, rf ref, c *workload.Container) {
	target, known := lookup(ctx.Graph, r, namespace, rf)
	kindName := "ConfigMap"
	if rf.kind == TypeSecret {
		kindName = "Secret"
	}
	switch {
	case target == nil && !known && rf.kind == TypeSecret && rf.index >= 0:
		// A secretKeyRef whose Secret is not known until update: the
		// variable is set, but whether to an empty value is not known; a
		// policy that needs it notes so.
		v := &c.Vars[rf.index]
		v.SecretBlank, v.HeldBy, v.HeldAt = workload.BlankUnknown, r, rf.path
		return
	case target == nil && !known:
		ctx.Read(r).NoteUnknown(rf.path)
		c.Pending = true
		return
	case target == nil && rf.index >= 0:
		return // a key of a ConfigMap or Secret outside the stack: set, value unseen
	case rf.index >= 0 && rf.kind == TypeSecret:
		v := &c.Vars[rf.index]
		v.From = fmt.Sprintf("Secret %q key %q", target.Name, rf.key)
		v.HeldBy = target
		v.SecretBlank, v.HeldAt = secretBlank(target, rf.key)
		return
	case target == nil:
		c.Opaque = append(c.Opaque, fmt.Sprintf("%s %s (%s), not in the stack", kindName, describeName(rf.name),
			rf.path))
		return
	}
	if rf.index >= 0 {
		v := &c.Vars[rf.index]
		v.From = fmt.Sprintf("ConfigMap %q key %q", target.Name, rf.key)
		v.HeldBy, v.HeldAt = target, fmt.Sprintf("data[%q]", rf.key)
		v.Value = dataOf(target, "data").Field(rf.key)
		if v.Value.IsNull() {
			v.Value = dataOf(target, "binaryData").Field(rf.key)
			v.HeldAt = fmt.Sprintf("binaryData[%q]", rf.key)
		}
		return
	}
	src := workload.ConfigMap
	fields := []string{"data", "binaryData"}
	if rf.kind == TypeSecret {
		src = workload.SecretStore
		fields = []string{"data", "stringData"}
	}
	for _, f := range fields {
		d := dataOf(target, f)
		if d.IsUnknown() {
			ctx.Read(target).NoteUnknown(f)
			c.Pending = true
			continue
		}
		for _, k := range d.Keys() {
			v := workload.Var{Name: rf.prefix + k, Path: rf.path, Source: src,
				From: fmt.Sprintf("%s %q key %q", kindName, target.Name, k), HeldBy: target,
				HeldAt: fmt.Sprintf("%s[%q]", f, k)}
			if src == workload.ConfigMap {
				v.Value = d.Field(k)
			} else {
				v.SecretBlank = blankSecretValue(d.Field(k), f == "data")
			}
			c.Vars = append(c.Vars, v)
		}
	}
}

// secretBlank says whether a key of a Secret of the stack is empty, and
// where it sits: stringData, which the API server merges over data, first.
func secretBlank(secret *graph.Resource, key string) (workload.Blank, string) {
	for _, f := range []string{"stringData", "data"} {
		d := dataOf(secret, f)
		switch {
		case d.IsUnknown():
			return workload.BlankUnknown, f
		case !d.Field(key).IsNull():
			return blankSecretValue(d.Field(key), f == "data"), fmt.Sprintf("%s[%q]", f, key)
		}
	}
	return workload.NotEmpty, "" // no such key: the pod does not start, which is not this view's to judge
}

// blankSecretValue judges one value of a Secret without showing it: data
// holds base64, stringData the text.
func blankSecretValue(v props.Value, base64Encoded bool) workload.Blank {
	b := workload.BlankOf(v, false)
	if s, ok := v.Str(); ok && b == workload.NotEmpty && base64Encoded {
		if raw, err := base64.StdEncoding.DecodeString(strings.TrimSpace(s)); err == nil &&
			strings.TrimSpace(string(raw)) == "" {
			return workload.Empty
		}
	}
	return b
}

func dataOf(r *graph.Resource, field string) props.Value {
	return r.Props.Get(props.Path{{Key: field}})
}

// index finds the stack's ConfigMaps and Secrets by namespace and name.
type index map[string]*graph.Resource

type indexKey struct{}

func key(kind, namespace, name string) string {
	if namespace == "" {
		namespace = "default" // the provider's default namespace
	}
	return kind + "\x00" + namespace + "\x00" + name
}

var (
	pMetaName      = props.MustPath("metadata.name")
	pMetaNamespace = props.MustPath("metadata.namespace")
)

func indexOf(g *graph.Graph) index {
	return g.Memo(indexKey{}, func() any {
		ix := index{}
		for _, r := range g.OfType(TypeConfigMap, TypeSecret) {
			nsV := r.Props.Get(pMetaNamespace)
			if nsV.IsUnknown() {
				continue // its namespace is not known until update: nothing can be joined to it
			}
			ns, _ := nsV.Str()
			for _, v := range [2]props.Value{r.Props, r.Outputs} {
				// An autonamed object's name is an output.
				if name, ok := v.Get(pMetaName).Str(); ok && name != "" {
					ix[key(r.Type, ns, name)] = r
				}
			}
		}
		return ix
	}).(index)
}

// lookup finds what a reference names, by its known name in the workload's
// namespace. known is false when the name is not known until update: the
// engine's property dependencies are per top-level property (spec), so they
// cannot tell which ConfigMap or Secret an envFrom or a configMapKeyRef
// names among those the spec's other references name too.
func lookup(g *graph.Graph, r *graph.Resource, namespace string, rf ref) (target *graph.Resource, known bool) {
	if name, ok := rf.name.Str(); ok {
		return indexOf(g)[key(rf.kind, namespace, name)], true
	}
	return nil, !rf.name.IsUnknown() // absent or malformed: nothing to join
}

// PodLabels reads the labels a workload gives its pods (the pod template's,
// or a Pod's own), through rd so an unknown one is noted; ok is false when
// they are not known.
func PodLabels(rd policy.Reader) (map[string]string, bool) {
	base := podSpecs[rd.Resource().Type]
	at := strings.TrimSuffix(strings.TrimSuffix(base, "spec"), ".") // "" for a Pod
	p := "metadata.labels"
	if at != "" {
		p = at + ".metadata.labels"
	}
	return StringMap(rd, p)
}

// StringMap reads an object of strings (labels, matchLabels); ok is false
// when it, or one of its values, is unknown or malformed (noted).
func StringMap(rd policy.Reader, p string) (map[string]string, bool) {
	v := rd.Value(p)
	switch v.Kind() {
	case props.Null:
		return map[string]string{}, true
	case props.Unknown:
		rd.NoteUnknown(p)
		return nil, false
	case props.Object:
	default:
		rd.NoteInvalid(fmt.Sprintf("%s is %s, expected an object of strings", p, v.Kind()))
		return nil, false
	}
	out := map[string]string{}
	for _, k := range v.Keys() {
		item := v.Field(k)
		s, ok := item.Str()
		switch {
		case item.IsUnknown():
			rd.NoteUnknown(fmt.Sprintf("%s[%q]", p, k))
			return nil, false
		case !ok:
			rd.NoteInvalid(fmt.Sprintf("%s[%q] is %s, expected a string", p, k, item.Kind()))
			return nil, false
		}
		out[k] = s
	}
	return out, true
}

// Namespace is a resource's metadata.namespace, "default" when unset (the
// provider's default namespace).
func Namespace(r *graph.Resource) string {
	if s, ok := r.Props.Get(pMetaNamespace).Str(); ok && s != "" {
		return s
	}
	return "default"
}
