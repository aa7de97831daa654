package y4m

import (
	"bufio"
	"bytes"
	"image"
	"image/color"
	"image/draw"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

var (
	red  = color.RGBA{255, 0, 0, 255}
	blue = color.RGBA{0, 0, 255, 255}
)

// frames are a white, a black and a half red, half blue picture.
func frames(w, h int) []image.Image {
	fill := func(c color.Color) *image.RGBA {
		m := image.NewRGBA(image.Rect(0, 0, w, h))
		draw.Draw(m, m.Rect, image.NewUniform(c), image.Point{}, draw.Src)
		return m
	}
	split := fill(red)
	draw.Draw(split, image.Rect(w/2, 0, w, h), image.NewUniform(blue), image.Point{}, draw.Src)
	return []image.Image{fill(color.White), fill(color.Black), split}
}

// video is a parsed Y4M file.
type video struct {
	tags   []string
	frames [][]byte // Y, U and V planes
}

// parse reads a Y4M file of w×h frames as Chromium does: the header line,
// then "FRAME\n" and w*h*3/2 bytes, until the end.
func parse(t *testing.T, b []byte, w, h int) video {
	t.Helper()
	r := bufio.NewReader(bytes.NewReader(b))
	header, err := r.ReadString('\n')
	if err != nil {
		t.Fatalf("header: %v", err)
	}
	v := video{tags: strings.Fields(header)}
	for {
		delim := make([]byte, 6)
		if _, err := io.ReadFull(r, delim); err == io.EOF {
			return v
		} else if err != nil || string(delim) != "FRAME\n" {
			t.Fatalf("frame %d starts with %q (%v)", len(v.frames), delim, err)
		}
		f := make([]byte, w*h*3/2)
		if _, err := io.ReadFull(r, f); err != nil {
			t.Fatalf("frame %d: %v", len(v.frames), err)
		}
		v.frames = append(v.frames, f)
	}
}

func TestWrite(t *testing.T) {
	const w, h = 64, 48
	var b bytes.Buffer
	if err := Write(&b, 25, frames(w, h)...); err != nil {
		t.Fatal(err)
	}
	v := parse(t, b.Bytes(), w, h)
	if got, want := strings.Join(v.tags, " "), "YUV4MPEG2 W64 H48 F25:1 Ip A1:1 C420jpeg"; got != want {
		t.Errorf("header %q, want %q", got, want)
	}
	if len(v.frames) != 3 {
		t.Fatalf("%d frames, want 3", len(v.frames))
	}
	// BT.601 limited range: white is Y 235, black Y 16, both without colour
	// (U = V = 128); red is (82, 90, 240) and blue (41, 240, 110).
	for _, c := range []struct {
		name  string
		frame int
		x, y  int
		yuv   [3]byte
	}{
		{"white", 0, 10, 10, [3]byte{235, 128, 128}},
		{"black", 1, 63, 47, [3]byte{16, 128, 128}},
		{"red", 2, 0, 0, [3]byte{82, 90, 240}},
		{"red at the edge", 2, 31, 47, [3]byte{82, 90, 240}},
		{"blue", 2, 32, 0, [3]byte{41, 240, 110}},
	} {
		f := v.frames[c.frame]
		ci := w*h + c.y/2*(w/2) + c.x/2
		got := [3]byte{f[c.y*w+c.x], f[ci], f[ci+w*h/4]}
		if got != c.yuv {
			t.Errorf("%s: YUV %v, want %v", c.name, got, c.yuv)
		}
	}
}

func TestWriteRefuses(t *testing.T) {
	ok := frames(64, 48)
	for _, c := range []struct {
		name   string
		fps    int
		frames []image.Image
	}{
		{"no frames", 25, nil},
		{"no frame rate", 0, ok},
		{"odd width", 25, []image.Image{image.NewRGBA(image.Rect(0, 0, 63, 48))}},
		{"odd height", 25, []image.Image{image.NewRGBA(image.Rect(0, 0, 64, 47))}},
		{"sizes differ", 25, append(ok, image.NewRGBA(image.Rect(0, 0, 32, 24)))},
	} {
		var b bytes.Buffer
		if err := Write(&b, c.fps, c.frames...); err == nil {
			t.Errorf("%s: no error", c.name)
		}
		if b.Len() != 0 {
			t.Errorf("%s: wrote %d bytes before refusing", c.name, b.Len())
		}
	}
}

// TestFFmpeg has ffmpeg, when it is installed, decode the video back to
// RGB: it must find every frame and the colours they were made of. The
// check is optional (y4m only serves other tests), so it skips without a
// word of complaint where ffmpeg is missing, even in CI.
func TestFFmpeg(t *testing.T) {
	ffmpeg, err := exec.LookPath("ffmpeg")
	if err != nil {
		t.Skip("ffmpeg not installed")
	}
	const w, h = 64, 48
	path := filepath.Join(t.TempDir(), "fake.y4m")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := Write(f, 25, frames(w, h)...); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(ffmpeg, "-v", "error", "-i", path, "-f", "rawvideo", "-pix_fmt", "rgb24", "-").Output()
	if err != nil {
		t.Fatalf("ffmpeg: %v", err)
	}
	if len(out) != 3*w*h*3 {
		t.Fatalf("ffmpeg decoded %d bytes, want 3 frames of %d", len(out), w*h*3)
	}
	for _, c := range []struct {
		frame, x, y int
		want        color.RGBA
	}{
		{0, 5, 5, color.RGBA{255, 255, 255, 255}},
		{1, 5, 5, color.RGBA{0, 0, 0, 255}},
		{2, 5, 5, red},
		{2, w - 5, h - 5, blue},
	} {
		i := (c.frame*w*h + c.y*w + c.x) * 3
		got := out[i : i+3]
		for k, want := range []uint8{c.want.R, c.want.G, c.want.B} {
			if d := int(got[k]) - int(want); d < -4 || d > 4 {
				t.Errorf("frame %d (%d,%d): RGB %v, want %v", c.frame, c.x, c.y, got, c.want)
				break
			}
		}
	}
}
