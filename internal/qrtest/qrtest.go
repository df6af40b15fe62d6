// Package qrtest reads back the QR codes sshcv draws in a terminal: text made of
// half-block characters (as a terminal shows it, colours stripped) is turned into an
// image and decoded, as a phone's camera would, by a QR decoder that shares no code
// with the encoder.
//
// The package is imported only by _test.go files.
package qrtest

import (
	"errors"
	"image"
	"image/color"
	"strings"

	"github.com/makiuchi-d/gozxing"
	"github.com/makiuchi-d/gozxing/qrcode"
)

// scale is the number of pixels for one module.
const scale = 4

// Decode finds the QR code in screen, a terminal's text, and returns what it holds.
// Ink (█ ▀ ▄) is dark unless inverted, when the code was drawn for a dark background
// without colours. Lines without a half-block character are not part of the code.
func Decode(screen string, inverted bool) (string, error) {
	var rows []string
	for _, l := range strings.Split(screen, "\n") {
		if !strings.ContainsAny(l, "█▀▄") {
			continue
		}
		if inverted {
			// The quiet zone is ink: spaces around it are the window, not the code.
			l = strings.Trim(l, " ")
		}
		rows = append(rows, l)
	}
	if len(rows) == 0 {
		return "", errors.New("qrtest: no half-block characters on the screen")
	}
	width := 0
	for _, r := range rows {
		width = max(width, len([]rune(r)))
	}
	const pad = 4 // light modules around, in case the screen cut the quiet zone
	img := image.NewGray(image.Rect(0, 0, (width+2*pad)*scale, (2*len(rows)+2*pad)*scale))
	for i := range img.Pix {
		img.Pix[i] = 0xff
	}
	set := func(x, y int, dark bool) {
		if dark == inverted {
			return
		}
		for dy := 0; dy < scale; dy++ {
			for dx := 0; dx < scale; dx++ {
				img.SetGray((x+pad)*scale+dx, (y+pad)*scale+dy, color.Gray{})
			}
		}
	}
	for y, r := range rows {
		x := 0
		for _, c := range r {
			top, bottom := c == '█' || c == '▀', c == '█' || c == '▄'
			set(x, 2*y, top)
			set(x, 2*y+1, bottom)
			x++
		}
	}
	bmp, err := gozxing.NewBinaryBitmapFromImage(img)
	if err != nil {
		return "", err
	}
	res, err := qrcode.NewQRCodeReader().Decode(bmp, map[gozxing.DecodeHintType]interface{}{gozxing.DecodeHintType_PURE_BARCODE: false})
	if err != nil {
		return "", err
	}
	return res.GetText(), nil
}
