# SPDX-License-Identifier: GPL-3.0-or-later
# The figure of ./tools/bench, drawn by bench/openiot_bench.py, which sets
# outdir, have_proxy, have_rtt, have_times, rtt_blocks, rtt_title0, rtt_title1,
# have_values, values_title0, values_title1.
# Reads outdir/proxy.dat, rtt.dat, times.dat, values.dat (written by
# bench/openiot_bench.py).

set terminal pngcairo size 1400,1450 font "Sans,10"
set output outdir."/results.png"
set multiplot layout 3,2 title "Open-IoT benchmarks (medians; a missing bar is a run that answered errors)"

set style data histograms
set style histogram clustered gap 1
set style fill solid 0.8 border -1
set boxwidth 0.9
set key top right
set grid ytics
set xtics nomirror

if (have_proxy) {
  set title "GET thermostat temperature: requests/s"
  set ylabel "requests/s"
  plot outdir."/proxy.dat" using 2:xtic(1) title "direct (UNIX socket)", \
       '' using 3 title "openiot-hub", \
       '' using 4 title "nginx"

  set title "GET thermostat temperature: median latency"
  set ylabel "µs"
  set key top left
  set logscale y
  plot outdir."/proxy.dat" using 5:xtic(1) title "direct (UNIX socket)", \
       '' using 6 title "openiot-hub", \
       '' using 7 title "nginx"
  unset logscale y
  set key top right
} else {
  set multiplot next
  set multiplot next
}

if (have_rtt) {
  set title "cold CLI request over a link with added RTT"
  set style data linespoints
  set xlabel "RTT (ms)"
  set ylabel "ms"
  set xrange [-5:105]
  stats outdir."/rtt.dat" index (rtt_blocks - 1) every ::0::0 using 2 nooutput
  t0 = STATS_min
  if (rtt_blocks > 1) {
    plot outdir."/rtt.dat" index 0 using 1:2 title rtt_title0 lw 2 pt 7, \
         '' index 1 using 1:2 title rtt_title1 lw 2 pt 5, \
         t0 + 3 * x title "second at RTT 0, + 3 RTT (TCP + TLS 1.3 + request)" dt 2
  } else {
    plot outdir."/rtt.dat" index 0 using 1:2 title rtt_title0 lw 2 pt 7, \
         t0 + 3 * x title "at RTT 0, + 3 RTT (TCP + TLS 1.3 + request)" dt 2
  }
  unset xlabel
  unset xrange
} else {
  set multiplot next
}

if (have_times) {
  set title "pairing and start-up (ms)"
  set style data histograms
  set ylabel "ms"
  set xtics rotate by -30
  plot outdir."/times.dat" using 2:xtic(1) notitle
  set xtics norotate
} else {
  set multiplot next
}

if (have_values) {
  set title "the app: a Thing page at start-up, over a link with added RTT"
  set style data linespoints
  set xlabel "RTT (ms)"
  set ylabel "ms from spawning the app"
  set xrange [-5:105]
  set key top left
  plot outdir."/values.dat" index 0 using 1:3 title "live values, ".values_title0 lw 2 pt 7, \
       '' index 0 using 1:2 title "cached page, ".values_title0 lw 2 pt 6 dt 2, \
       '' index 0 using 1:4 title "first network reply" lw 1 pt 1 dt 3, \
       '' index 1 using 1:3 title "live values, ".values_title1 lw 2 pt 5
  unset xlabel
  unset xrange
}

unset multiplot
