// Package props is the pack's view of resource properties: a typed value that
// keeps the two facts the engine attaches to every value, "not known until
// update" (unknown) and "a Pulumi secret", and a path reader over it.
//
// Nothing in this package panics on input: every value the engine, a test or a
// fuzzer can produce decodes to some Value, and every accessor answers with an
// explicit "ok" instead of asserting a type.
package props

import (
	"sort"
	"strconv"
)

// Kind is the shape of a Value.
type Kind uint8

const (
	// Null is an absent or null value. The zero Value is Null.
	Null Kind = iota
	// Bool is true or false.
	Bool
	// Number is a float64, as JSON and the engine carry numbers.
	Number
	// String is a string.
	String
	// Array is an ordered list of values.
	Array
	// Object is a map from string keys to values.
	Object
	// Unknown is a value the engine does not know yet (a preview of a
	// resource that has not been created).
	Unknown
	// ResourceRef is a reference to another resource; Str holds its URN.
	ResourceRef
	// Asset is a Pulumi asset or archive. Policies never look inside.
	Asset
)

var kindNames = [...]string{
	Null:        "null",
	Bool:        "boolean",
	Number:      "number",
	String:      "string",
	Array:       "array",
	Object:      "object",
	Unknown:     "unknown",
	ResourceRef: "resource reference",
	Asset:       "asset",
}

func (k Kind) String() string {
	if int(k) < len(kindNames) {
		return kindNames[k]
	}
	return "kind(" + strconv.Itoa(int(k)) + ")"
}

// Value is one property value. The zero Value is a known, non-secret null.
type Value struct {
	kind   Kind
	secret bool
	b      bool
	n      float64
	s      string // String value, or the URN of a ResourceRef
	id     string // the id of a ResourceRef, "" when unknown or a component
	arr    []Value
	obj    map[string]Value
}

// Constructors.

// NewNull returns a known null.
func NewNull() Value { return Value{} }

// NewBool returns a known boolean.
func NewBool(b bool) Value { return Value{kind: Bool, b: b} }

// NewNumber returns a known number.
func NewNumber(n float64) Value { return Value{kind: Number, n: n} }

// NewString returns a known string.
func NewString(s string) Value { return Value{kind: String, s: s} }

// NewArray returns a known array.
func NewArray(items ...Value) Value { return Value{kind: Array, arr: items} }

// NewObject returns a known object. The map is used as is, not copied.
func NewObject(m map[string]Value) Value {
	if m == nil {
		m = map[string]Value{}
	}
	return Value{kind: Object, obj: m}
}

// NewUnknown returns a value that is not known until update.
func NewUnknown() Value { return Value{kind: Unknown} }

// NewResourceRef returns a reference to the resource with the given URN and id
// (id "" when not known).
func NewResourceRef(urn, id string) Value { return Value{kind: ResourceRef, s: urn, id: id} }

// Secret returns v marked as a Pulumi secret.
func Secret(v Value) Value {
	v.secret = true
	return v
}

// Rewrite returns v with f applied to every value inside it and to v,
// innermost first: items and fields are rewritten before the array or
// object holding them is passed to f. v itself is not changed. Secrecy of
// arrays and objects is kept.
func Rewrite(v Value, f func(Value) Value) Value {
	switch v.kind {
	case Array:
		arr := make([]Value, len(v.arr))
		for i, it := range v.arr {
			arr[i] = Rewrite(it, f)
		}
		v.arr = arr
	case Object:
		m := make(map[string]Value, len(v.obj))
		for k, it := range v.obj {
			m[k] = Rewrite(it, f)
		}
		v.obj = m
	}
	return f(v)
}

// SecretDeep returns v with it and everything inside it marked secret, for
// values derived from a secret (a JSON document parsed from a secret string)
// whose parts are handed out one by one.
func SecretDeep(v Value) Value {
	return Rewrite(v, Secret)
}

// Accessors. None of them panics.

// Kind is the shape of v.
func (v Value) Kind() Kind { return v.kind }

// IsSecret reports whether v is a Pulumi secret. A value inside a secret
// object or array is reported secret by Get.
func (v Value) IsSecret() bool { return v.secret }

// IsUnknown reports whether v is not known until update.
func (v Value) IsUnknown() bool { return v.kind == Unknown }

// IsNull reports whether v is null or absent.
func (v Value) IsNull() bool { return v.kind == Null }

// IsKnown reports whether v is known (possibly null).
func (v Value) IsKnown() bool { return v.kind != Unknown }

// Bool returns the boolean and true when v is a known boolean.
func (v Value) Bool() (bool, bool) { return v.b, v.kind == Bool }

// Number returns the number and true when v is a known number.
func (v Value) Number() (float64, bool) { return v.n, v.kind == Number }

// Str returns the string and true when v is a known string.
func (v Value) Str() (string, bool) { return v.s, v.kind == String }

// Ref returns the URN and id of a resource reference.
func (v Value) Ref() (urn, id string, ok bool) { return v.s, v.id, v.kind == ResourceRef }

// Array returns the items and true when v is a known array. The slice is
// shared with v; callers must not modify it.
func (v Value) Array() ([]Value, bool) { return v.arr, v.kind == Array }

// Object returns the map and true when v is a known object. The map is
// shared with v; callers must not modify it.
func (v Value) Object() (map[string]Value, bool) { return v.obj, v.kind == Object }

// Len is the number of items of an array or keys of an object, else 0.
func (v Value) Len() int {
	switch v.kind {
	case Array:
		return len(v.arr)
	case Object:
		return len(v.obj)
	}
	return 0
}

// Field returns the value under key of an object; a missing key, or a value
// that is not an object, gives Null. Secrecy of v carries over.
func (v Value) Field(key string) Value {
	if v.kind != Object {
		return Value{secret: v.secret}
	}
	f := v.obj[key]
	f.secret = f.secret || v.secret
	return f
}

// Index returns item i of an array; out of range, or not an array, gives
// Null. Secrecy of v carries over.
func (v Value) Index(i int) Value {
	if v.kind != Array || i < 0 || i >= len(v.arr) {
		return Value{secret: v.secret}
	}
	it := v.arr[i]
	it.secret = it.secret || v.secret
	return it
}

// Keys returns the keys of an object in sorted order.
func (v Value) Keys() []string {
	if v.kind != Object {
		return nil
	}
	keys := make([]string, 0, len(v.obj))
	for k := range v.obj {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// ContainsUnknown reports whether v or anything inside it is unknown.
func (v Value) ContainsUnknown() bool {
	switch v.kind {
	case Unknown:
		return true
	case Array:
		for _, it := range v.arr {
			if it.ContainsUnknown() {
				return true
			}
		}
	case Object:
		for _, it := range v.obj {
			if it.ContainsUnknown() {
				return true
			}
		}
	}
	return false
}

// Describe renders v for a message. It never renders the content of a
// secret, and it shortens long strings, so its result is safe to show.
func (v Value) Describe() string {
	if v.secret {
		return "[secret]"
	}
	switch v.kind {
	case Null:
		return "null"
	case Bool:
		return strconv.FormatBool(v.b)
	case Number:
		return strconv.FormatFloat(v.n, 'g', -1, 64)
	case String:
		return strconv.Quote(shorten(v.s, 80))
	case Unknown:
		return "(unknown until update)"
	case ResourceRef:
		return "reference to " + v.s
	case Array:
		return "array of " + strconv.Itoa(len(v.arr))
	case Object:
		return "object"
	}
	return v.kind.String()
}

func shorten(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n]) + "…"
}
