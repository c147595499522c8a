package props

import (
	"math"
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"

	"google.golang.org/protobuf/types/known/structpb"
)

func TestDescribeNeverRevealsSecrets(t *testing.T) {
	const needle = "Sup3rS3cretValue"
	tests := []struct {
		name string
		v    Value
	}{
		{"secret string", Secret(NewString(needle))},
		{"secret long string", Secret(NewString(strings.Repeat("x", 200) + needle))},
		{"secret number", Secret(NewNumber(31337))},
		{"secret bool", Secret(NewBool(true))},
		{"secret null", Secret(NewNull())},
		{"secret unknown", Secret(NewUnknown())},
		{"secret object", Secret(NewObject(map[string]Value{"password": NewString(needle)}))},
		{"secret array", Secret(NewArray(NewString(needle), NewNumber(31337)))},
		{"secret ref", Secret(NewResourceRef("urn:"+needle, "id-"+needle))},
		{"secret asset", Secret(DecodeValue(wSig(wAsset, nil)))},
		{"field of secret object", Secret(NewObject(map[string]Value{"p": NewString(needle)})).Field("p")},
		{"item of secret array", Secret(NewArray(NewString(needle))).Index(0)},
		{"lookup in secret object", Secret(NewObject(map[string]Value{"a": NewObject(map[string]Value{"b": NewNumber(31337)})})).Get(MustPath("a.b"))},
		{"decoded secret", DecodeValue(wSecretOf(wStr(needle)))},
		{"decoded secret output", DecodeValue(wSig(wOutputValue, map[string]*structpb.Value{"value": wStr(needle), "secret": wBool(true)}))},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if !tt.v.IsSecret() {
				t.Fatalf("%s is not secret", dump(tt.v))
			}
			got := tt.v.Describe()
			if got != "[secret]" {
				t.Errorf("Describe() = %q, want [secret]", got)
			}
			for _, leak := range []string{needle, "31337"} {
				if strings.Contains(got, leak) {
					t.Errorf("Describe() = %q reveals %q", got, leak)
				}
			}
		})
	}
	// A plain container holding a secret does not show the secret either.
	for _, v := range []Value{
		NewObject(map[string]Value{"pw": Secret(NewString(needle))}),
		NewArray(Secret(NewString(needle))),
		NewArray(NewObject(map[string]Value{"x": Secret(NewNumber(31337))})),
	} {
		if d := v.Describe(); strings.Contains(d, needle) || strings.Contains(d, "31337") {
			t.Errorf("Describe(%s) = %q reveals a secret inside", dump(v), d)
		}
	}
}

func TestDescribePlain(t *testing.T) {
	tests := []struct {
		v    Value
		want string
	}{
		{NewNull(), "null"},
		{Value{}, "null"},
		{NewBool(true), "true"},
		{NewBool(false), "false"},
		{NewNumber(1.5), "1.5"},
		{NewNumber(443), "443"},
		{NewNumber(1e21), "1e+21"},
		{NewNumber(-0.25), "-0.25"},
		{NewNumber(math.Inf(1)), "+Inf"},
		{NewString("AES256"), `"AES256"`},
		{NewString(""), `""`},
		{NewString("a\"b\n"), `"a\"b\n"`},
		{NewUnknown(), "(unknown until update)"},
		{NewResourceRef("urn:pulumi:dev::p::t::n", "id"), "reference to urn:pulumi:dev::p::t::n"},
		{NewArray(NewNumber(1), NewNumber(2)), "array of 2"},
		{NewArray(), "array of 0"},
		{NewObject(map[string]Value{"a": NewString("visible?")}), "object"},
		{DecodeValue(wSig(wArchive, nil)), "asset"},
	}
	for _, tt := range tests {
		if got := tt.v.Describe(); got != tt.want {
			t.Errorf("Describe(%s) = %q, want %q", dump(tt.v), got, tt.want)
		}
	}
}

func TestDescribeShortensLongStrings(t *testing.T) {
	tests := []struct {
		name      string
		s         string
		shortened bool
	}{
		{"80 ASCII", strings.Repeat("a", 80), false},
		{"81 ASCII", strings.Repeat("a", 81), true},
		{"long ASCII with tail", strings.Repeat("a", 300) + "TAILMARKER", true},
		{"80 multibyte", strings.Repeat("é", 80), false},
		{"long multibyte", strings.Repeat("日", 200) + "TAILMARKER", true},
		{"long invalid UTF-8", strings.Repeat("\xff", 200) + "TAILMARKER", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := NewString(tt.s).Describe()
			if !utf8.ValidString(d) {
				t.Errorf("Describe() is not valid UTF-8: %q", d)
			}
			if strings.Contains(d, "TAILMARKER") {
				t.Errorf("Describe() kept the tail of a long string: %q", d)
			}
			hasEllipsis := strings.Contains(d, "…")
			if hasEllipsis != tt.shortened {
				t.Errorf("Describe() = %q, shortened %v, want %v", d, hasEllipsis, tt.shortened)
			}
			// Quote marks + 80 runes + the ellipsis, at most.
			if n := utf8.RuneCountInString(d); tt.shortened && n > 2+80+1+40 {
				t.Errorf("Describe() is %d runes long", n)
			}
			if !tt.shortened && d != `"`+tt.s+`"` {
				t.Errorf("Describe() = %q, want the string quoted", d)
			}
		})
	}
}

func TestKindString(t *testing.T) {
	tests := []struct {
		k    Kind
		want string
	}{
		{Null, "null"},
		{Bool, "boolean"},
		{Number, "number"},
		{String, "string"},
		{Array, "array"},
		{Object, "object"},
		{Unknown, "unknown"},
		{ResourceRef, "resource reference"},
		{Asset, "asset"},
		{Kind(9), "kind(9)"},
		{Kind(200), "kind(200)"},
		{Kind(255), "kind(255)"},
	}
	for _, tt := range tests {
		if got := tt.k.String(); got != tt.want {
			t.Errorf("Kind(%d).String() = %q, want %q", uint8(tt.k), got, tt.want)
		}
	}
}

func TestKeys(t *testing.T) {
	tests := []struct {
		v    Value
		want []string
	}{
		{NewObject(map[string]Value{"b": {}, "a": {}, "C": {}, "aa": {}, "a.b": {}, "": {}}), []string{"", "C", "a", "a.b", "aa", "b"}},
		{NewObject(nil), []string{}},
		{Secret(NewObject(map[string]Value{"z": {}, "y": {}})), []string{"y", "z"}},
		{NewArray(NewString("a")), nil},
		{NewString("s"), nil},
		{NewNull(), nil},
		{NewUnknown(), nil},
	}
	for _, tt := range tests {
		got := tt.v.Keys()
		if len(got) != len(tt.want) || (len(got) > 0 && !reflect.DeepEqual(got, tt.want)) {
			t.Errorf("Keys(%s) = %q, want %q", dump(tt.v), got, tt.want)
		}
		if tt.want == nil && got != nil {
			t.Errorf("Keys(%s) = %#v, want nil for a non-object", dump(tt.v), got)
		}
	}
	// Sorted on a big map too (map order is random).
	m := map[string]Value{}
	for _, k := range strings.Split("q w e r t y u i o p a s d f g h j k l z x c v b n m", " ") {
		m[k] = NewNull()
	}
	keys := NewObject(m).Keys()
	for i := 1; i < len(keys); i++ {
		if keys[i-1] >= keys[i] {
			t.Fatalf("Keys not sorted: %q", keys)
		}
	}
	if len(keys) != 26 {
		t.Errorf("len(Keys) = %d", len(keys))
	}
}

func TestContainsUnknown(t *testing.T) {
	tests := []struct {
		name string
		v    Value
		want bool
	}{
		{"null", NewNull(), false},
		{"string", NewString(wUnknownStr), false},
		{"unknown", NewUnknown(), true},
		{"secret unknown", Secret(NewUnknown()), true},
		{"empty array", NewArray(), false},
		{"empty object", NewObject(nil), false},
		{"array of known", NewArray(NewNumber(1), NewString("x")), false},
		{"array last unknown", NewArray(NewNumber(1), NewUnknown()), true},
		{"object with unknown", NewObject(map[string]Value{"a": NewString("x"), "b": NewUnknown()}), true},
		{"deep", NewArray(NewObject(map[string]Value{"a": NewArray(NewArray(NewObject(map[string]Value{"z": NewUnknown()})))})), true},
		{"deep known", NewArray(NewObject(map[string]Value{"a": NewArray(NewArray(NewObject(map[string]Value{"z": NewNull()})))})), false},
		{"in secret object", Secret(NewObject(map[string]Value{"k": NewUnknown()})), true},
		{"secret in object", NewObject(map[string]Value{"k": Secret(NewArray(NewUnknown()))}), true},
		{"ref with no id", NewResourceRef("urn", ""), false},
		{"decoded output unknown", DecodeValue(wObj(map[string]*structpb.Value{"o": wSig(wOutputValue, nil)})), true},
	}
	for _, tt := range tests {
		if got := tt.v.ContainsUnknown(); got != tt.want {
			t.Errorf("%s: ContainsUnknown(%s) = %v, want %v", tt.name, dump(tt.v), got, tt.want)
		}
	}
}

func TestLen(t *testing.T) {
	tests := []struct {
		v    Value
		want int
	}{
		{NewArray(NewNull(), NewNull(), NewNull()), 3},
		{NewArray(), 0},
		{NewObject(map[string]Value{"a": {}, "b": {}}), 2},
		{NewObject(nil), 0},
		{Secret(NewArray(NewNull())), 1},
		{NewString("abc"), 0},
		{NewNull(), 0},
		{NewUnknown(), 0},
		{NewNumber(5), 0},
		{NewResourceRef("urn", "id"), 0},
	}
	for _, tt := range tests {
		if got := tt.v.Len(); got != tt.want {
			t.Errorf("Len(%s) = %d, want %d", dump(tt.v), got, tt.want)
		}
	}
}

func TestAccessors(t *testing.T) {
	var zero Value
	if zero.Kind() != Null || !zero.IsNull() || !zero.IsKnown() || zero.IsUnknown() || zero.IsSecret() {
		t.Errorf("zero Value is not a known, non-secret null: %s", dump(zero))
	}
	u := NewUnknown()
	if !u.IsUnknown() || u.IsKnown() || u.IsNull() {
		t.Errorf("NewUnknown flags wrong")
	}
	if b, ok := NewBool(true).Bool(); !ok || !b {
		t.Errorf("Bool() = %v, %v", b, ok)
	}
	if _, ok := NewString("true").Bool(); ok {
		t.Errorf("a string answered Bool ok")
	}
	if n, ok := NewNumber(2).Number(); !ok || n != 2 {
		t.Errorf("Number() = %v, %v", n, ok)
	}
	if _, ok := NewString("2").Number(); ok {
		t.Errorf("a string answered Number ok")
	}
	if s, ok := NewString("x").Str(); !ok || s != "x" {
		t.Errorf("Str() = %q, %v", s, ok)
	}
	if _, ok := NewResourceRef("urn", "id").Str(); ok {
		t.Errorf("a reference answered Str ok")
	}
	if _, ok := NewUnknown().Str(); ok {
		t.Errorf("an unknown answered Str ok")
	}
	if urn, id, ok := NewResourceRef("urn:a", "i").Ref(); !ok || urn != "urn:a" || id != "i" {
		t.Errorf("Ref() = %q %q %v", urn, id, ok)
	}
	if _, _, ok := NewString("urn:a").Ref(); ok {
		t.Errorf("a string answered Ref ok")
	}
	if a, ok := NewArray(NewNull()).Array(); !ok || len(a) != 1 {
		t.Errorf("Array() = %v, %v", a, ok)
	}
	if _, ok := NewObject(nil).Array(); ok {
		t.Errorf("an object answered Array ok")
	}
	if m, ok := NewObject(nil).Object(); !ok || m == nil {
		t.Errorf("Object() of NewObject(nil) = %v, %v", m, ok)
	}
	if _, ok := NewArray().Object(); ok {
		t.Errorf("an array answered Object ok")
	}
	// Secret does not change the kind or content, only the mark.
	s := Secret(NewString("x"))
	if got, ok := s.Str(); !ok || got != "x" || !s.IsSecret() {
		t.Errorf("Secret(x) = %s", dump(s))
	}
	plain := NewString("x")
	_ = Secret(plain)
	if plain.IsSecret() {
		t.Errorf("Secret modified its argument")
	}
}

func TestRewrite(t *testing.T) {
	v := NewObject(map[string]Value{
		"a": NewArray(NewString("x"), Secret(NewArray(NewString("y")))),
		"b": Secret(NewObject(map[string]Value{"c": NewString("z")})),
	})
	upper := func(x Value) Value {
		if s, ok := x.Str(); ok {
			out := NewString(strings.ToUpper(s))
			if x.IsSecret() {
				out = Secret(out)
			}
			return out
		}
		return x
	}
	got := Rewrite(v, upper)
	if s, _ := got.Get(MustPath("a[0]")).Str(); s != "X" {
		t.Errorf("a[0] = %q", s)
	}
	if inner := got.Field("a").Index(1); !inner.IsSecret() || inner.Index(0).Describe() != "[secret]" {
		t.Errorf("secret array lost its secrecy: %v", inner.IsSecret())
	}
	if s, _ := got.Field("b").Field("c").Str(); s != "Z" || !got.Field("b").IsSecret() {
		t.Errorf("b.c = %q, secret %v", s, got.Field("b").IsSecret())
	}
	if s, _ := v.Get(MustPath("a[0]")).Str(); s != "x" {
		t.Errorf("Rewrite changed its input: a[0] = %q", s)
	}
	deep := SecretDeep(v)
	for _, p := range []string{"a", "a[0]", "a[1][0]", "b.c"} {
		if x, _ := deep.Lookup(MustPath(p)); !x.IsSecret() {
			t.Errorf("SecretDeep: %s not secret", p)
		}
	}
}
