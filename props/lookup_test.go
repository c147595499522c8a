package props

import (
	"errors"
	"strings"
	"testing"
)

func lookupFixture() Value {
	return NewObject(map[string]Value{
		"name":  NewString("web"),
		"count": NewNumber(3),
		"flag":  NewBool(true),
		"tags": NewObject(map[string]Value{
			"env": NewString("prod"),
			"a:b": NewString("c"),
			"x.y": NewString("dotted"),
		}),
		"list": NewArray(
			NewString("x"),
			NewObject(map[string]Value{"k": NewString("v")}),
			NewArray(NewNumber(10), NewNumber(11)),
		),
		"unk":    NewUnknown(),
		"unkObj": NewObject(map[string]Value{"inner": NewUnknown()}),
		"unkArr": NewArray(NewUnknown()),
		"nul":    NewNull(),
		"pw":     Secret(NewString("hunter2")),
		"secObj": Secret(NewObject(map[string]Value{
			"user":   NewString("admin"),
			"nested": NewObject(map[string]Value{"deep": NewString("d")}),
			"arr":    NewArray(NewString("e0")),
			"nul":    NewNull(),
		})),
		"secArr": Secret(NewArray(
			NewString("s0"),
			NewArray(NewNumber(1)),
			NewObject(map[string]Value{"k": NewString("sv")}),
		)),
		"secUnk": Secret(NewUnknown()),
		"secNul": Secret(NewNull()),
		"plainHoldsSecret": NewObject(map[string]Value{
			"inner": Secret(NewObject(map[string]Value{"leaf": NewString("L")})),
			"other": NewString("o"),
		}),
		"ref": NewResourceRef("urn:pulumi:dev::proj::aws:s3/bucket:Bucket::b", "b-123"),
	})
}

type lookupCase struct {
	path       string
	wantKind   Kind
	wantSecret bool
	wantStr    *string // when set, the String content expected
	wantNum    *float64
	// For a *TypeError:
	wantErr     string // the full Error() text
	wantErrPath string
	wantWant    Kind
	wantGot     Kind
}

func sp(s string) *string   { return &s }
func fp(f float64) *float64 { return &f }

func TestLookup(t *testing.T) {
	v := lookupFixture()
	tests := []lookupCase{
		// Found.
		{path: "name", wantKind: String, wantStr: sp("web")},
		{path: "count", wantKind: Number, wantNum: fp(3)},
		{path: "tags.env", wantKind: String, wantStr: sp("prod")},
		{path: `tags["a:b"]`, wantKind: String, wantStr: sp("c")},
		{path: `tags["x.y"]`, wantKind: String, wantStr: sp("dotted")},
		{path: "list[0]", wantKind: String, wantStr: sp("x")},
		{path: "list[1].k", wantKind: String, wantStr: sp("v")},
		{path: "list[2][1]", wantKind: Number, wantNum: fp(11)},
		{path: "tags", wantKind: Object},
		{path: "list", wantKind: Array},
		{path: "ref", wantKind: ResourceRef},
		{path: "plainHoldsSecret.other", wantKind: String, wantStr: sp("o")},

		// Missing key / out of range: Null, no error.
		{path: "missing", wantKind: Null},
		{path: "tags.missing", wantKind: Null},
		{path: "missing.deeper.still", wantKind: Null},
		{path: "missing[3]", wantKind: Null},
		{path: "list[3]", wantKind: Null},
		{path: "list[100].k", wantKind: Null},
		{path: "list[2][2]", wantKind: Null},

		// Unknown on the way.
		{path: "unk", wantKind: Unknown},
		{path: "unk.a.b", wantKind: Unknown},
		{path: "unk[3]", wantKind: Unknown},
		{path: "unkObj.inner", wantKind: Unknown},
		{path: "unkObj.inner.x[0]", wantKind: Unknown},
		{path: "unkArr[0].x", wantKind: Unknown},

		// Null on the way.
		{path: "nul", wantKind: Null},
		{path: "nul.a", wantKind: Null},
		{path: "nul[0].b", wantKind: Null},

		// Wrong shape.
		{path: "name.x", wantKind: Null, wantErr: "name is a string, expected an object", wantErrPath: "name", wantWant: Object, wantGot: String},
		{path: "name[0]", wantKind: Null, wantErr: "name is a string, expected an array", wantErrPath: "name", wantWant: Array, wantGot: String},
		{path: "tags[0]", wantKind: Null, wantErr: "tags is an object, expected an array", wantErrPath: "tags", wantWant: Array, wantGot: Object},
		{path: "list.k", wantKind: Null, wantErr: "list is an array, expected an object", wantErrPath: "list", wantWant: Object, wantGot: Array},
		{path: "list[1].k.z", wantKind: Null, wantErr: "list[1].k is a string, expected an object", wantErrPath: "list[1].k", wantWant: Object, wantGot: String},
		{path: "tags.env.x", wantKind: Null, wantErr: "tags.env is a string, expected an object", wantErrPath: "tags.env", wantWant: Object, wantGot: String},
		{path: `tags["a:b"].x`, wantKind: Null, wantErr: `tags["a:b"] is a string, expected an object`, wantErrPath: `tags["a:b"]`, wantWant: Object, wantGot: String},
		{path: "count.x", wantKind: Null, wantErr: "count is a number, expected an object", wantErrPath: "count", wantWant: Object, wantGot: Number},
		{path: "flag[0]", wantKind: Null, wantErr: "flag is a boolean, expected an array", wantErrPath: "flag", wantWant: Array, wantGot: Bool},
		{path: "ref.id", wantKind: Null, wantErr: "ref is a resource reference, expected an object", wantErrPath: "ref", wantWant: Object, wantGot: ResourceRef},
		{path: "list[2].k", wantKind: Null, wantErr: "list[2] is an array, expected an object", wantErrPath: "list[2]", wantWant: Object, wantGot: Array},

		// Secrets.
		{path: "pw", wantKind: String, wantSecret: true, wantStr: sp("hunter2")},
		{path: "pw.x", wantKind: Null, wantSecret: true, wantErr: "pw is a string, expected an object", wantErrPath: "pw", wantWant: Object, wantGot: String},
		{path: "secObj", wantKind: Object, wantSecret: true},
		{path: "secObj.user", wantKind: String, wantSecret: true, wantStr: sp("admin")},
		{path: "secObj.nested", wantKind: Object, wantSecret: true},
		{path: "secObj.nested.deep", wantKind: String, wantSecret: true, wantStr: sp("d")},
		{path: "secObj.arr[0]", wantKind: String, wantSecret: true, wantStr: sp("e0")},
		{path: "secObj.missing", wantKind: Null, wantSecret: true},
		{path: "secObj.missing.x", wantKind: Null, wantSecret: true},
		{path: "secObj.nul.x", wantKind: Null, wantSecret: true},
		{path: "secObj.arr[7]", wantKind: Null, wantSecret: true},
		{path: "secObj.user[0]", wantKind: Null, wantSecret: true, wantErr: "secObj.user is a string, expected an array", wantErrPath: "secObj.user", wantWant: Array, wantGot: String},
		{path: "secArr[0]", wantKind: String, wantSecret: true, wantStr: sp("s0")},
		{path: "secArr[1][0]", wantKind: Number, wantSecret: true, wantNum: fp(1)},
		{path: "secArr[2].k", wantKind: String, wantSecret: true, wantStr: sp("sv")},
		{path: "secArr[9]", wantKind: Null, wantSecret: true},
		{path: "secUnk", wantKind: Unknown, wantSecret: true},
		{path: "secUnk.x", wantKind: Unknown, wantSecret: true},
		{path: "secNul.x", wantKind: Null, wantSecret: true},
		{path: "plainHoldsSecret.inner", wantKind: Object, wantSecret: true},
		{path: "plainHoldsSecret.inner.leaf", wantKind: String, wantSecret: true, wantStr: sp("L")},
		{path: "plainHoldsSecret.inner.none", wantKind: Null, wantSecret: true},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			p := MustPath(tt.path)
			got, err := v.Lookup(p)
			if tt.wantErr != "" {
				var te *TypeError
				if !errors.As(err, &te) {
					t.Fatalf("Lookup(%s) error = %v, want a *TypeError", tt.path, err)
				}
				if err.Error() != tt.wantErr {
					t.Errorf("Error() = %q, want %q", err.Error(), tt.wantErr)
				}
				if te.Path.String() != tt.wantErrPath {
					t.Errorf("TypeError.Path = %q, want %q", te.Path.String(), tt.wantErrPath)
				}
				if te.Want != tt.wantWant || te.Got != tt.wantGot {
					t.Errorf("TypeError Want/Got = %v/%v, want %v/%v", te.Want, te.Got, tt.wantWant, tt.wantGot)
				}
				if !strings.Contains(err.Error(), tt.wantWant.String()) || !strings.Contains(err.Error(), tt.wantGot.String()) {
					t.Errorf("Error() %q does not name both kinds", err.Error())
				}
			} else if err != nil {
				t.Fatalf("Lookup(%s) unexpected error: %v", tt.path, err)
			}
			if got.Kind() != tt.wantKind {
				t.Errorf("Lookup(%s).Kind() = %v, want %v (%s)", tt.path, got.Kind(), tt.wantKind, dump(got))
			}
			if got.IsSecret() != tt.wantSecret {
				t.Errorf("Lookup(%s).IsSecret() = %v, want %v", tt.path, got.IsSecret(), tt.wantSecret)
			}
			if tt.wantStr != nil {
				if s, ok := got.Str(); !ok || s != *tt.wantStr {
					t.Errorf("Lookup(%s).Str() = %q, %v; want %q", tt.path, s, ok, *tt.wantStr)
				}
			}
			if tt.wantNum != nil {
				if n, ok := got.Number(); !ok || n != *tt.wantNum {
					t.Errorf("Lookup(%s).Number() = %v, %v; want %v", tt.path, n, ok, *tt.wantNum)
				}
			}
			if got.IsSecret() && got.Describe() != "[secret]" {
				t.Errorf("Describe() of a secret result = %q", got.Describe())
			}
			// Get is Lookup without the error.
			if g := v.Get(p); !valueEqual(g, got) {
				t.Errorf("Get(%s) = %s, Lookup = %s", tt.path, dump(g), dump(got))
			}
		})
	}
}

func TestLookupDoesNotMarkTheSourceSecret(t *testing.T) {
	v := lookupFixture()
	if _, err := v.Lookup(MustPath("secObj.user")); err != nil {
		t.Fatal(err)
	}
	// Lookup copies: the stored values keep their own secrecy.
	m, _ := v.Object()
	inner, _ := m["secObj"].Object()
	if inner["user"].IsSecret() {
		t.Errorf("the stored leaf became secret after a Lookup through a secret object")
	}
	if m["name"].IsSecret() {
		t.Errorf("a plain leaf is secret")
	}
}

func TestLookupOnRootShapes(t *testing.T) {
	tests := []struct {
		name    string
		v       Value
		path    Path
		kind    Kind
		secret  bool
		wantErr string
	}{
		{"empty path returns the value", NewString("s"), Path{}, String, false, ""},
		{"empty path keeps secrecy", Secret(NewNumber(1)), nil, Number, true, ""},
		{"string root", NewString("s"), MustPath("a"), Null, false, "the properties is a string, expected an object"},
		{"number root index", NewNumber(1), MustPath("[0]"), Null, false, "the properties is a number, expected an array"},
		{"object root index", NewObject(nil), MustPath("[0]"), Null, false, "the properties is an object, expected an array"},
		{"unknown root", NewUnknown(), MustPath("a.b"), Unknown, false, ""},
		{"secret unknown root", Secret(NewUnknown()), MustPath("a"), Unknown, true, ""},
		{"null root", NewNull(), MustPath("a[1]"), Null, false, ""},
		{"zero value root", Value{}, MustPath("a"), Null, false, ""},
		{"secret string root", Secret(NewString("s")), MustPath("a"), Null, true, "the properties is a string, expected an object"},
		{"array root", NewArray(NewBool(false)), MustPath("[0]"), Bool, false, ""},
		{"asset on the way", mustDecodeAsset(t), MustPath("a"), Null, false, "the properties is an asset, expected an object"},
		{"ref on the way", NewResourceRef("urn", "id"), MustPath("[0]"), Null, false, "the properties is a resource reference, expected an array"},
		{"unknown error kind text", NewObject(map[string]Value{"u": NewUnknown()}), MustPath("u.x"), Unknown, false, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := tt.v.Lookup(tt.path)
			if tt.wantErr == "" && err != nil {
				t.Fatalf("unexpected error %v", err)
			}
			if tt.wantErr != "" {
				var te *TypeError
				if !errors.As(err, &te) || err.Error() != tt.wantErr {
					t.Fatalf("error = %v, want *TypeError %q", err, tt.wantErr)
				}
			}
			if got.Kind() != tt.kind || got.IsSecret() != tt.secret {
				t.Errorf("got %s, want kind %v secret %v", dump(got), tt.kind, tt.secret)
			}
		})
	}
}

func mustDecodeAsset(t *testing.T) Value {
	t.Helper()
	v := DecodeValue(wSig(wAsset, nil))
	if v.Kind() != Asset {
		t.Fatalf("asset signature decoded as %v", v.Kind())
	}
	return v
}

func TestTypeErrorText(t *testing.T) {
	tests := []struct {
		e    TypeError
		want string
	}{
		{TypeError{Path: MustPath("a.b"), Want: Object, Got: String}, "a.b is a string, expected an object"},
		{TypeError{Path: MustPath("a[0]"), Want: Array, Got: Unknown}, "a[0] is an unknown, expected an array"},
		{TypeError{Path: MustPath("x"), Want: Object, Got: Null}, "x is null, expected an object"},
		{TypeError{Path: nil, Want: Object, Got: Asset}, "the properties is an asset, expected an object"},
		{TypeError{Path: MustPath("r"), Want: Array, Got: ResourceRef}, "r is a resource reference, expected an array"},
		{TypeError{Path: MustPath("b"), Want: Object, Got: Bool}, "b is a boolean, expected an object"},
	}
	for _, tt := range tests {
		if got := tt.e.Error(); got != tt.want {
			t.Errorf("Error() = %q, want %q", got, tt.want)
		}
	}
}

// BUG: Lookup indexes the array without checking for a negative index and
// panics ("index out of range [-1]"). ParsePath rejects [-1], but Path.At
// and Segment literals do not, and the package promises that nothing in it
// panics. Index(-1) already answers Null; Lookup should too.
func TestLookupNegativeIndexIsNull(t *testing.T) {
	v := NewObject(map[string]Value{"a": NewArray(NewString("x"), NewString("y"))})
	for _, p := range []Path{
		MustPath("a").At(-1),
		{K("a"), {Index: -5, IsIndex: true}},
	} {
		func() {
			defer func() {
				if r := recover(); r != nil {
					t.Errorf("Lookup(%s) panicked: %v", p.String(), r)
				}
			}()
			got, err := v.Lookup(p)
			if err != nil || !got.IsNull() {
				t.Errorf("Lookup(%s) = %s, %v; want null, nil (out of range)", p.String(), dump(got), err)
			}
		}()
	}
}

func TestFieldAndIndex(t *testing.T) {
	obj := NewObject(map[string]Value{
		"a":   NewString("A"),
		"s":   Secret(NewString("S")),
		"arr": NewArray(NewNumber(1), Secret(NewNumber(2))),
	})
	secObj := Secret(obj)
	arr := NewArray(NewString("i0"), Secret(NewString("i1")), obj)
	secArr := Secret(arr)

	tests := []struct {
		name   string
		got    Value
		kind   Kind
		secret bool
	}{
		{"Field plain", obj.Field("a"), String, false},
		{"Field secret leaf", obj.Field("s"), String, true},
		{"Field missing", obj.Field("zz"), Null, false},
		{"Field of secret object", secObj.Field("a"), String, true},
		{"Field missing of secret object", secObj.Field("zz"), Null, true},
		{"Field of non-object", NewString("x").Field("a"), Null, false},
		{"Field of secret non-object", Secret(NewString("x")).Field("a"), Null, true},
		{"Field of unknown", NewUnknown().Field("a"), Null, false},
		{"Field chain through secret", secObj.Field("arr").Index(0), Number, true},
		{"Index plain", arr.Index(0), String, false},
		{"Index secret item", arr.Index(1), String, true},
		{"Index object item", arr.Index(2), Object, false},
		{"Index out of range", arr.Index(3), Null, false},
		{"Index negative", arr.Index(-1), Null, false},
		{"Index of secret array", secArr.Index(0), String, true},
		{"Index out of range of secret array", secArr.Index(99), Null, true},
		{"Index negative of secret array", secArr.Index(-1), Null, true},
		{"Index of non-array", obj.Index(0), Null, false},
		{"Index chain through secret", secArr.Index(2).Field("a"), String, true},
		{"Index then Field plain", arr.Index(2).Field("arr").Index(1), Number, true},
		{"Index then Field plain non-secret", arr.Index(2).Field("arr").Index(0), Number, false},
	}
	for _, tt := range tests {
		if tt.got.Kind() != tt.kind || tt.got.IsSecret() != tt.secret {
			t.Errorf("%s: got %s, want kind %v secret %v", tt.name, dump(tt.got), tt.kind, tt.secret)
		}
	}
	// Field/Index must agree with Lookup.
	pairs := []struct {
		path string
		step Value
	}{
		{"a", obj.Field("a")},
		{"s", obj.Field("s")},
		{"arr[1]", obj.Field("arr").Index(1)},
		{"arr[5]", obj.Field("arr").Index(5)},
	}
	for _, src := range []Value{obj, secObj} {
		for _, pr := range pairs {
			step := pr.step
			if src.IsSecret() {
				step.secret = true
			}
			got := src.Get(MustPath(pr.path))
			if !valueEqual(got, step) {
				t.Errorf("Get(%s) on %s = %s, Field/Index = %s", pr.path, dump(src), dump(got), dump(step))
			}
		}
	}
}
