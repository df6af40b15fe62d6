package doc

import "testing"

func TestReadableOn(t *testing.T) {
	white, black := RGB(0xff, 0xff, 0xff), RGB(0, 0, 0)
	if got := Contrast(black, white); got < 20.9 || got > 21.1 {
		t.Errorf("black on white: contrast %.2f, want 21", got)
	}
	navy := RGB(0, 0, 0x80)
	if got := navy.ReadableOn(black, white); got != navy {
		t.Errorf("navy, readable already, became %s", got.Hex())
	}
	pale := RGB(0xff, 0xee, 0x00)
	got := pale.ReadableOn(black, white)
	if Contrast(got, white) < MinContrast || got == black {
		t.Errorf("yellow became %s: contrast %.2f on white", got.Hex(), Contrast(got, white))
	}
}
