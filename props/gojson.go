package props

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"sort"
)

// FromGo converts plain Go data, as encoding/json produces it, to a Value:
// nil, bool, float64 and the other number types, string, []any, map[string]any.
// A Value inside passes through unchanged, so test data can mix in
// NewUnknown() and Secret(...). Anything else becomes a string of its %v form.
func FromGo(x any) Value {
	switch t := x.(type) {
	case nil:
		return Value{}
	case Value:
		return t
	case bool:
		return NewBool(t)
	case float64:
		return NewNumber(t)
	case float32:
		return NewNumber(float64(t))
	case int:
		return NewNumber(float64(t))
	case int64:
		return NewNumber(float64(t))
	case int32:
		return NewNumber(float64(t))
	case int16:
		return NewNumber(float64(t))
	case int8:
		return NewNumber(float64(t))
	case uint:
		return NewNumber(float64(t))
	case uint64:
		return NewNumber(float64(t))
	case uint32:
		return NewNumber(float64(t))
	case uint16:
		return NewNumber(float64(t))
	case uint8:
		return NewNumber(float64(t))
	case json.Number:
		f, err := t.Float64()
		if err != nil {
			return NewString(t.String())
		}
		return NewNumber(f)
	case string:
		return NewString(t)
	case []string:
		arr := make([]Value, len(t))
		for i, s := range t {
			arr[i] = NewString(s)
		}
		return Value{kind: Array, arr: arr}
	case []any:
		arr := make([]Value, len(t))
		for i, it := range t {
			arr[i] = FromGo(it)
		}
		return Value{kind: Array, arr: arr}
	case []Value:
		return Value{kind: Array, arr: t}
	case map[string]any:
		m := make(map[string]Value, len(t))
		for k, it := range t {
			m[k] = FromGo(it)
		}
		return Value{kind: Object, obj: m}
	case map[string]Value:
		return NewObject(t)
	case map[string]string:
		m := make(map[string]Value, len(t))
		for k, s := range t {
			m[k] = NewString(s)
		}
		return Value{kind: Object, obj: m}
	}
	return NewString(fmt.Sprintf("%v", x))
}

// ParseJSON parses JSON text, such as an ECS task definition's
// containerDefinitions, into a Value. Its error says where the text went
// wrong (a byte offset) but never quotes the text, which may hold secrets.
func ParseJSON(data []byte) (Value, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var x any
	if err := dec.Decode(&x); err != nil {
		offset := dec.InputOffset()
		if errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) {
			offset = int64(len(data))
		}
		return Value{}, jsonError(err, offset)
	}
	if rest := bytes.TrimLeft(data[dec.InputOffset():], " \t\r\n"); len(rest) > 0 {
		return Value{}, fmt.Errorf("not valid JSON: unexpected data after the value at byte %d",
			len(data)-len(rest))
	}
	return FromGo(x), nil
}

func jsonError(err error, offset int64) error {
	switch e := err.(type) {
	case *json.SyntaxError:
		return fmt.Errorf("not valid JSON: syntax error at byte %d", e.Offset)
	case *json.UnmarshalTypeError:
		return fmt.Errorf("not valid JSON: unexpected %s at byte %d", e.Value, e.Offset)
	}
	return fmt.Errorf("not valid JSON: input ends early or is malformed at byte %d", offset)
}

// ToGo converts a Value back to plain Go data (the inverse of FromGo for
// known values). Unknowns become the string "(unknown)" and secrets keep
// their content: use it for test data, never for messages.
func ToGo(v Value) any {
	switch v.kind {
	case Bool:
		return v.b
	case Number:
		return v.n
	case String:
		return v.s
	case Unknown:
		return "(unknown)"
	case ResourceRef:
		return v.s
	case Array:
		out := make([]any, len(v.arr))
		for i, it := range v.arr {
			out[i] = ToGo(it)
		}
		return out
	case Object:
		out := make(map[string]any, len(v.obj))
		for _, k := range sortedKeys(v.obj) {
			out[k] = ToGo(v.obj[k])
		}
		return out
	}
	return nil
}

func sortedKeys(m map[string]Value) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
