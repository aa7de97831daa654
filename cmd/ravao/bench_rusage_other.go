//go:build !unix

package main

import "time"

// cpuTime is unknown on this system: 0.
func cpuTime() time.Duration { return 0 }

// peakRSS is unknown on this system: 0.
func peakRSS() int64 { return 0 }
