package gatepayload

import "testing"

func TestNameLooksTyped(t *testing.T) {
	tests := []struct {
		name string
		want bool
	}{
		{"Nguyễn Văn An", false},
		{"NGUYỄN THỊ MINH KHAI", false},
		{"Nguyen Van An", false},
		{"Đỗ Thị Hương", false},
		{"Ê Đê", false},
		{"Hoàng Thái-Sơn", false},
		{"Phạm Thị Thuỳ Dương", false},
		{"Lý Văn Tư", false},
		{"Nguyeenx Vawn An", true}, // Telex
		{"NGUYEENX VAWN AN", true},
		{"Ddoox Thij Huwowng", true},
		{"Hoangf Van An", true},    // a tone key after a final consonant
		{"Lys Van Tu", true},       // and after a vowel
		{"Nguye64n Va8n An", true}, // VNI
		{"Nguye^~n Va(n An", true}, // VIQR
		{"Le Thi Ha.", true},
		{"Nguyễn Thomas", false}, // keeps diacritics: not typed through Telex
		{"Thomas Nguyen", true},  // a foreign name looks the same, on purpose
	}
	for _, tt := range tests {
		if got := nameLooksTyped(tt.name); got != tt.want {
			t.Errorf("nameLooksTyped(%q) = %v, want %v", tt.name, got, tt.want)
		}
	}
}
