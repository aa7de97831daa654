// Package y4m writes YUV4MPEG2 videos, the uncompressed format Chromium
// plays as a fake camera (--use-fake-device-for-media-stream
// --use-file-for-fake-video-capture=FILE.y4m), so that browser tests can
// hold a QR code up to a gate page's camera.
//
// Chromium reads only what this package writes: a one-line header, then
// frames each made of the line "FRAME" and the Y, U and V planes of a 4:2:0
// picture, Y at full size and U, V at half width and half height. It loops
// the file when it reaches the end.
package y4m

import (
	"bufio"
	"errors"
	"fmt"
	"image"
	"io"
)

// Write writes a YUV4MPEG2 (C420jpeg / 420) video of frames (all the same
// size, even width/height) at fps, the format Chromium's
// --use-file-for-fake-video-capture reads.
//
// Colours are converted with the BT.601 matrix to limited ("TV") range,
// Y from 16 to 235, which is how Chromium (libyuv's I420 conversion) and
// ffmpeg read a Y4M file that does not say otherwise. Each U and V sample
// is the mean of a 2×2 block of pixels, centred between them as C420jpeg
// says. A transparent pixel is black.
func Write(w io.Writer, fps int, frames ...image.Image) error {
	size, err := check(fps, frames)
	if err != nil {
		return err
	}
	bw := bufio.NewWriter(w)
	fmt.Fprintf(bw, "YUV4MPEG2 W%d H%d F%d:1 Ip A1:1 C420jpeg\n", size.X, size.Y, fps)
	buf := make([]byte, size.X*size.Y*3/2)
	for _, m := range frames {
		toI420(buf, m)
		bw.WriteString("FRAME\n")
		bw.Write(buf)
	}
	return bw.Flush()
}

// check validates the arguments of Write before anything is written, and
// returns the frame size.
func check(fps int, frames []image.Image) (image.Point, error) {
	if fps <= 0 {
		return image.Point{}, fmt.Errorf("y4m: frame rate %d, want at least 1", fps)
	}
	if len(frames) == 0 {
		return image.Point{}, errors.New("y4m: no frames")
	}
	size := frames[0].Bounds().Size()
	if size.X <= 0 || size.Y <= 0 || size.X%2 != 0 || size.Y%2 != 0 {
		return image.Point{}, fmt.Errorf("y4m: frame size %v, want an even width and height", size)
	}
	for i, m := range frames {
		if s := m.Bounds().Size(); s != size {
			return image.Point{}, fmt.Errorf("y4m: frame %d is %v, frame 0 is %v", i, s, size)
		}
	}
	return size, nil
}

// toI420 fills buf with the Y, U and V planes of m, one after the other.
func toI420(buf []byte, m image.Image) {
	b := m.Bounds()
	w, h := b.Dx(), b.Dy()
	ys, us, vs := buf[:w*h], buf[w*h:w*h*5/4], buf[w*h*5/4:]
	for y := 0; y < h; y += 2 {
		for x := 0; x < w; x += 2 {
			var sr, sg, sb int
			for _, d := range [4]image.Point{{0, 0}, {1, 0}, {0, 1}, {1, 1}} {
				r, g, bl := rgb(m, b.Min.X+x+d.X, b.Min.Y+y+d.Y)
				ys[(y+d.Y)*w+x+d.X] = luma(r, g, bl)
				sr, sg, sb = sr+r, sg+g, sb+bl
			}
			r, g, bl := (sr+2)/4, (sg+2)/4, (sb+2)/4
			i := y/2*(w/2) + x/2
			us[i] = byte((-38*r-74*g+112*bl+128)>>8 + 128)
			vs[i] = byte((112*r-94*g-18*bl+128)>>8 + 128)
		}
	}
}

// rgb is the colour of the pixel at (x, y), 8 bits a channel.
func rgb(m image.Image, x, y int) (r, g, b int) {
	r16, g16, b16, _ := m.At(x, y).RGBA()
	return int(r16 >> 8), int(g16 >> 8), int(b16 >> 8)
}

// luma is BT.601 limited-range Y.
func luma(r, g, b int) byte {
	return byte((66*r+129*g+25*b+128)>>8 + 16)
}
