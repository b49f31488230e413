set datafile missing 'nan'
set grid
set samples 400
set logscale x 2
set xrange [714.285714:140000.000000]
set xtics (1000, 10000, 100000)
set terminal pngcairo size 1400,585 noenhanced
set output 'lab7b_write_behind-atomic-throughput.png'
set ylabel 'goodput, increments/s kept'
unset logscale y
set yrange [0:6.01736e+07]
set lmargin at screen 0.095
set rmargin at screen 0.640
set multiplot title "lab7b_write_behind / atomic: goodput, increments/s kept\none run a point: repeat runs for their spread"
unset arrow
unset label
set tmargin at screen 0.8803
set bmargin at screen 0.1282
set key at screen 0.660, screen 0.8803 left top Left reverse samplen 2
set title ''
set xlabel 'flush (us), log scale'
plot 'lab7b_write_behind-atomic.dat' index 0 using 1:26:27:28 with yerrorlines pt 7 lc rgb '#1f77b4' lw 2 dt 1 title 'redis', 'lab7b_write_behind-atomic.dat' index 1 using 1:26:27:28 with yerrorlines pt 5 lc rgb '#d62728' lw 2 dt 1 title 'sqlite'
unset multiplot
set terminal svg size 1400,585 noenhanced
set output 'lab7b_write_behind-atomic-throughput.svg'
set ylabel 'goodput, increments/s kept'
unset logscale y
set yrange [0:6.01736e+07]
set lmargin at screen 0.095
set rmargin at screen 0.640
set multiplot title "lab7b_write_behind / atomic: goodput, increments/s kept\none run a point: repeat runs for their spread"
unset arrow
unset label
set tmargin at screen 0.8803
set bmargin at screen 0.1282
set key at screen 0.660, screen 0.8803 left top Left reverse samplen 2
set title ''
set xlabel 'flush (us), log scale'
plot 'lab7b_write_behind-atomic.dat' index 0 using 1:26:27:28 with yerrorlines pt 7 lc rgb '#1f77b4' lw 2 dt 1 title 'redis', 'lab7b_write_behind-atomic.dat' index 1 using 1:26:27:28 with yerrorlines pt 5 lc rgb '#d62728' lw 2 dt 1 title 'sqlite'
unset multiplot
set terminal pngcairo size 1400,585 noenhanced
set output 'lab7b_write_behind-atomic-p99.png'
set ylabel 'p99 service time (us)'
unset logscale y
set yrange [0:237.669]
set lmargin at screen 0.095
set rmargin at screen 0.640
set multiplot title "lab7b_write_behind / atomic: p99 service time (us)\none run a point: repeat runs for their spread"
unset arrow
unset label
set tmargin at screen 0.8803
set bmargin at screen 0.1282
set key at screen 0.660, screen 0.8803 left top Left reverse samplen 2
set title ''
set xlabel 'flush (us), log scale'
plot 'lab7b_write_behind-atomic.dat' index 0 using 1:5:6:7 with yerrorlines pt 7 lc rgb '#1f77b4' lw 2 dt 1 title 'redis', 'lab7b_write_behind-atomic.dat' index 1 using 1:5:6:7 with yerrorlines pt 5 lc rgb '#d62728' lw 2 dt 1 title 'sqlite'
unset multiplot
set terminal svg size 1400,585 noenhanced
set output 'lab7b_write_behind-atomic-p99.svg'
set ylabel 'p99 service time (us)'
unset logscale y
set yrange [0:237.669]
set lmargin at screen 0.095
set rmargin at screen 0.640
set multiplot title "lab7b_write_behind / atomic: p99 service time (us)\none run a point: repeat runs for their spread"
unset arrow
unset label
set tmargin at screen 0.8803
set bmargin at screen 0.1282
set key at screen 0.660, screen 0.8803 left top Left reverse samplen 2
set title ''
set xlabel 'flush (us), log scale'
plot 'lab7b_write_behind-atomic.dat' index 0 using 1:5:6:7 with yerrorlines pt 7 lc rgb '#1f77b4' lw 2 dt 1 title 'redis', 'lab7b_write_behind-atomic.dat' index 1 using 1:5:6:7 with yerrorlines pt 5 lc rgb '#d62728' lw 2 dt 1 title 'sqlite'
unset multiplot
set terminal pngcairo size 1400,585 noenhanced
set output 'lab7b_write_behind-atomic-retries.png'
set ylabel 'retries per 1,000 operations'
unset logscale y
set yrange [0:22.9352]
set lmargin at screen 0.095
set rmargin at screen 0.640
set multiplot title "lab7b_write_behind / atomic: retries per 1,000 operations\none run a point: repeat runs for their spread"
unset arrow
unset label
set tmargin at screen 0.8803
set bmargin at screen 0.1282
set key at screen 0.660, screen 0.8803 left top Left reverse samplen 2
set title ''
set xlabel 'flush (us), log scale'
plot 'lab7b_write_behind-atomic.dat' index 0 using 1:8:9:10 with yerrorlines pt 7 lc rgb '#1f77b4' lw 2 dt 1 title 'redis', 'lab7b_write_behind-atomic.dat' index 1 using 1:8:9:10 with yerrorlines pt 5 lc rgb '#d62728' lw 2 dt 1 title 'sqlite'
unset multiplot
set terminal svg size 1400,585 noenhanced
set output 'lab7b_write_behind-atomic-retries.svg'
set ylabel 'retries per 1,000 operations'
unset logscale y
set yrange [0:22.9352]
set lmargin at screen 0.095
set rmargin at screen 0.640
set multiplot title "lab7b_write_behind / atomic: retries per 1,000 operations\none run a point: repeat runs for their spread"
unset arrow
unset label
set tmargin at screen 0.8803
set bmargin at screen 0.1282
set key at screen 0.660, screen 0.8803 left top Left reverse samplen 2
set title ''
set xlabel 'flush (us), log scale'
plot 'lab7b_write_behind-atomic.dat' index 0 using 1:8:9:10 with yerrorlines pt 7 lc rgb '#1f77b4' lw 2 dt 1 title 'redis', 'lab7b_write_behind-atomic.dat' index 1 using 1:8:9:10 with yerrorlines pt 5 lc rgb '#d62728' lw 2 dt 1 title 'sqlite'
unset multiplot
