set datafile missing 'nan'
set grid
set samples 400
set logscale x 2
set xrange [714285714.285714:1400000000000000.000000]
set xtics (1000000000, 1000000000000000)
set terminal pngcairo size 2498,585 noenhanced
set output 'lab9c_spike-atomic-throughput.png'
set ylabel 'goodput, increments/s kept'
unset logscale y
set yrange [0:87409.7]
set lmargin at screen 0.095
set rmargin at screen 0.640
set multiplot title "lab9c_spike / atomic: goodput, increments/s kept\none run a point: repeat runs for their spread"
unset arrow
unset label
set tmargin at screen 0.8803
set bmargin at screen 0.1282
set key at screen 0.660, screen 0.8803 left top Left reverse samplen 2
set title ''
set xlabel 'stock, log scale'
plot 'lab9c_spike-atomic.dat' index 0 using 1:26:27:28 with yerrorlines pt 7 lc rgb '#1f77b4' lw 2 dt 1 title 'manager rate=39341.75/s arrival=poisson phases=20% 2s; 200% 2s; 20% 4s duration=8s', 'lab9c_spike-atomic.dat' index 1 using 1:26:27:28 with yerrorlines pt 5 lc rgb '#d62728' lw 2 dt 1 title 'manager duration=2s', 'lab9c_spike-atomic.dat' index 2 using 1:26:27:28 with yerrorlines pt 9 lc rgb '#2ca02c' lw 2 dt 1 title 'postgres rate=3416.75/s arrival=poisson phases=20% 2s; 200% 2s; 20% 4s duration=8s', 'lab9c_spike-atomic.dat' index 3 using 1:26:27:28 with yerrorlines pt 11 lc rgb '#9467bd' lw 2 dt 1 title 'postgres duration=2s', 'lab9c_spike-atomic.dat' index 4 using 1:26:27:28 with yerrorlines pt 13 lc rgb '#8c564b' lw 2 dt 1 title 'redis rate=21583/s arrival=poisson phases=20% 2s; 200% 2s; 20% 4s duration=8s', 'lab9c_spike-atomic.dat' index 5 using 1:26:27:28 with yerrorlines pt 3 lc rgb '#e377c2' lw 2 dt 1 title 'redis duration=2s', 'lab9c_spike-atomic.dat' index 6 using 1:26:27:28 with yerrorlines pt 1 lc rgb '#404040' lw 2 dt 1 title 'sqlite rate=51651.5/s arrival=poisson phases=20% 2s; 200% 2s; 20% 4s duration=8s', 'lab9c_spike-atomic.dat' index 7 using 1:26:27:28 with yerrorlines pt 2 lc rgb '#ff7f0e' lw 2 dt 1 title 'sqlite duration=2s'
unset multiplot
set terminal svg size 2498,585 noenhanced
set output 'lab9c_spike-atomic-throughput.svg'
set ylabel 'goodput, increments/s kept'
unset logscale y
set yrange [0:87409.7]
set lmargin at screen 0.095
set rmargin at screen 0.640
set multiplot title "lab9c_spike / atomic: goodput, increments/s kept\none run a point: repeat runs for their spread"
unset arrow
unset label
set tmargin at screen 0.8803
set bmargin at screen 0.1282
set key at screen 0.660, screen 0.8803 left top Left reverse samplen 2
set title ''
set xlabel 'stock, log scale'
plot 'lab9c_spike-atomic.dat' index 0 using 1:26:27:28 with yerrorlines pt 7 lc rgb '#1f77b4' lw 2 dt 1 title 'manager rate=39341.75/s arrival=poisson phases=20% 2s; 200% 2s; 20% 4s duration=8s', 'lab9c_spike-atomic.dat' index 1 using 1:26:27:28 with yerrorlines pt 5 lc rgb '#d62728' lw 2 dt 1 title 'manager duration=2s', 'lab9c_spike-atomic.dat' index 2 using 1:26:27:28 with yerrorlines pt 9 lc rgb '#2ca02c' lw 2 dt 1 title 'postgres rate=3416.75/s arrival=poisson phases=20% 2s; 200% 2s; 20% 4s duration=8s', 'lab9c_spike-atomic.dat' index 3 using 1:26:27:28 with yerrorlines pt 11 lc rgb '#9467bd' lw 2 dt 1 title 'postgres duration=2s', 'lab9c_spike-atomic.dat' index 4 using 1:26:27:28 with yerrorlines pt 13 lc rgb '#8c564b' lw 2 dt 1 title 'redis rate=21583/s arrival=poisson phases=20% 2s; 200% 2s; 20% 4s duration=8s', 'lab9c_spike-atomic.dat' index 5 using 1:26:27:28 with yerrorlines pt 3 lc rgb '#e377c2' lw 2 dt 1 title 'redis duration=2s', 'lab9c_spike-atomic.dat' index 6 using 1:26:27:28 with yerrorlines pt 1 lc rgb '#404040' lw 2 dt 1 title 'sqlite rate=51651.5/s arrival=poisson phases=20% 2s; 200% 2s; 20% 4s duration=8s', 'lab9c_spike-atomic.dat' index 7 using 1:26:27:28 with yerrorlines pt 2 lc rgb '#ff7f0e' lw 2 dt 1 title 'sqlite duration=2s'
unset multiplot
set terminal pngcairo size 2498,585 noenhanced
set output 'lab9c_spike-atomic-p99.png'
set ylabel 'p99 service time (us)'
unset logscale y
set yrange [0:1576.96]
set lmargin at screen 0.095
set rmargin at screen 0.640
set multiplot title "lab9c_spike / atomic: p99 service time (us)\none run a point: repeat runs for their spread"
unset arrow
unset label
set tmargin at screen 0.8803
set bmargin at screen 0.1282
set key at screen 0.660, screen 0.8803 left top Left reverse samplen 2
set title ''
set xlabel 'stock, log scale'
plot 'lab9c_spike-atomic.dat' index 0 using 1:5:6:7 with yerrorlines pt 7 lc rgb '#1f77b4' lw 2 dt 1 title 'manager rate=39341.75/s arrival=poisson phases=20% 2s; 200% 2s; 20% 4s duration=8s', 'lab9c_spike-atomic.dat' index 1 using 1:5:6:7 with yerrorlines pt 5 lc rgb '#d62728' lw 2 dt 1 title 'manager duration=2s', 'lab9c_spike-atomic.dat' index 2 using 1:5:6:7 with yerrorlines pt 9 lc rgb '#2ca02c' lw 2 dt 1 title 'postgres rate=3416.75/s arrival=poisson phases=20% 2s; 200% 2s; 20% 4s duration=8s', 'lab9c_spike-atomic.dat' index 3 using 1:5:6:7 with yerrorlines pt 11 lc rgb '#9467bd' lw 2 dt 1 title 'postgres duration=2s', 'lab9c_spike-atomic.dat' index 4 using 1:5:6:7 with yerrorlines pt 13 lc rgb '#8c564b' lw 2 dt 1 title 'redis rate=21583/s arrival=poisson phases=20% 2s; 200% 2s; 20% 4s duration=8s', 'lab9c_spike-atomic.dat' index 5 using 1:5:6:7 with yerrorlines pt 3 lc rgb '#e377c2' lw 2 dt 1 title 'redis duration=2s', 'lab9c_spike-atomic.dat' index 6 using 1:5:6:7 with yerrorlines pt 1 lc rgb '#404040' lw 2 dt 1 title 'sqlite rate=51651.5/s arrival=poisson phases=20% 2s; 200% 2s; 20% 4s duration=8s', 'lab9c_spike-atomic.dat' index 7 using 1:5:6:7 with yerrorlines pt 2 lc rgb '#ff7f0e' lw 2 dt 1 title 'sqlite duration=2s'
unset multiplot
set terminal svg size 2498,585 noenhanced
set output 'lab9c_spike-atomic-p99.svg'
set ylabel 'p99 service time (us)'
unset logscale y
set yrange [0:1576.96]
set lmargin at screen 0.095
set rmargin at screen 0.640
set multiplot title "lab9c_spike / atomic: p99 service time (us)\none run a point: repeat runs for their spread"
unset arrow
unset label
set tmargin at screen 0.8803
set bmargin at screen 0.1282
set key at screen 0.660, screen 0.8803 left top Left reverse samplen 2
set title ''
set xlabel 'stock, log scale'
plot 'lab9c_spike-atomic.dat' index 0 using 1:5:6:7 with yerrorlines pt 7 lc rgb '#1f77b4' lw 2 dt 1 title 'manager rate=39341.75/s arrival=poisson phases=20% 2s; 200% 2s; 20% 4s duration=8s', 'lab9c_spike-atomic.dat' index 1 using 1:5:6:7 with yerrorlines pt 5 lc rgb '#d62728' lw 2 dt 1 title 'manager duration=2s', 'lab9c_spike-atomic.dat' index 2 using 1:5:6:7 with yerrorlines pt 9 lc rgb '#2ca02c' lw 2 dt 1 title 'postgres rate=3416.75/s arrival=poisson phases=20% 2s; 200% 2s; 20% 4s duration=8s', 'lab9c_spike-atomic.dat' index 3 using 1:5:6:7 with yerrorlines pt 11 lc rgb '#9467bd' lw 2 dt 1 title 'postgres duration=2s', 'lab9c_spike-atomic.dat' index 4 using 1:5:6:7 with yerrorlines pt 13 lc rgb '#8c564b' lw 2 dt 1 title 'redis rate=21583/s arrival=poisson phases=20% 2s; 200% 2s; 20% 4s duration=8s', 'lab9c_spike-atomic.dat' index 5 using 1:5:6:7 with yerrorlines pt 3 lc rgb '#e377c2' lw 2 dt 1 title 'redis duration=2s', 'lab9c_spike-atomic.dat' index 6 using 1:5:6:7 with yerrorlines pt 1 lc rgb '#404040' lw 2 dt 1 title 'sqlite rate=51651.5/s arrival=poisson phases=20% 2s; 200% 2s; 20% 4s duration=8s', 'lab9c_spike-atomic.dat' index 7 using 1:5:6:7 with yerrorlines pt 2 lc rgb '#ff7f0e' lw 2 dt 1 title 'sqlite duration=2s'
unset multiplot
set terminal pngcairo size 2498,585 noenhanced
set output 'lab9c_spike-atomic-retries.png'
set ylabel 'retries per 1,000 operations'
unset logscale y
set yrange [0:17.9754]
set lmargin at screen 0.095
set rmargin at screen 0.640
set multiplot title "lab9c_spike / atomic: retries per 1,000 operations\none run a point: repeat runs for their spread"
unset arrow
unset label
set tmargin at screen 0.8803
set bmargin at screen 0.1282
set key at screen 0.660, screen 0.8803 left top Left reverse samplen 2
set title ''
set xlabel 'stock, log scale'
plot 'lab9c_spike-atomic.dat' index 0 using 1:8:9:10 with yerrorlines pt 7 lc rgb '#1f77b4' lw 2 dt 1 title 'manager rate=39341.75/s arrival=poisson phases=20% 2s; 200% 2s; 20% 4s duration=8s', 'lab9c_spike-atomic.dat' index 1 using 1:8:9:10 with yerrorlines pt 5 lc rgb '#d62728' lw 2 dt 1 title 'manager duration=2s', 'lab9c_spike-atomic.dat' index 2 using 1:8:9:10 with yerrorlines pt 9 lc rgb '#2ca02c' lw 2 dt 1 title 'postgres rate=3416.75/s arrival=poisson phases=20% 2s; 200% 2s; 20% 4s duration=8s', 'lab9c_spike-atomic.dat' index 3 using 1:8:9:10 with yerrorlines pt 11 lc rgb '#9467bd' lw 2 dt 1 title 'postgres duration=2s', 'lab9c_spike-atomic.dat' index 4 using 1:8:9:10 with yerrorlines pt 13 lc rgb '#8c564b' lw 2 dt 1 title 'redis rate=21583/s arrival=poisson phases=20% 2s; 200% 2s; 20% 4s duration=8s', 'lab9c_spike-atomic.dat' index 5 using 1:8:9:10 with yerrorlines pt 3 lc rgb '#e377c2' lw 2 dt 1 title 'redis duration=2s', 'lab9c_spike-atomic.dat' index 6 using 1:8:9:10 with yerrorlines pt 1 lc rgb '#404040' lw 2 dt 1 title 'sqlite rate=51651.5/s arrival=poisson phases=20% 2s; 200% 2s; 20% 4s duration=8s', 'lab9c_spike-atomic.dat' index 7 using 1:8:9:10 with yerrorlines pt 2 lc rgb '#ff7f0e' lw 2 dt 1 title 'sqlite duration=2s'
unset multiplot
set terminal svg size 2498,585 noenhanced
set output 'lab9c_spike-atomic-retries.svg'
set ylabel 'retries per 1,000 operations'
unset logscale y
set yrange [0:17.9754]
set lmargin at screen 0.095
set rmargin at screen 0.640
set multiplot title "lab9c_spike / atomic: retries per 1,000 operations\none run a point: repeat runs for their spread"
unset arrow
unset label
set tmargin at screen 0.8803
set bmargin at screen 0.1282
set key at screen 0.660, screen 0.8803 left top Left reverse samplen 2
set title ''
set xlabel 'stock, log scale'
plot 'lab9c_spike-atomic.dat' index 0 using 1:8:9:10 with yerrorlines pt 7 lc rgb '#1f77b4' lw 2 dt 1 title 'manager rate=39341.75/s arrival=poisson phases=20% 2s; 200% 2s; 20% 4s duration=8s', 'lab9c_spike-atomic.dat' index 1 using 1:8:9:10 with yerrorlines pt 5 lc rgb '#d62728' lw 2 dt 1 title 'manager duration=2s', 'lab9c_spike-atomic.dat' index 2 using 1:8:9:10 with yerrorlines pt 9 lc rgb '#2ca02c' lw 2 dt 1 title 'postgres rate=3416.75/s arrival=poisson phases=20% 2s; 200% 2s; 20% 4s duration=8s', 'lab9c_spike-atomic.dat' index 3 using 1:8:9:10 with yerrorlines pt 11 lc rgb '#9467bd' lw 2 dt 1 title 'postgres duration=2s', 'lab9c_spike-atomic.dat' index 4 using 1:8:9:10 with yerrorlines pt 13 lc rgb '#8c564b' lw 2 dt 1 title 'redis rate=21583/s arrival=poisson phases=20% 2s; 200% 2s; 20% 4s duration=8s', 'lab9c_spike-atomic.dat' index 5 using 1:8:9:10 with yerrorlines pt 3 lc rgb '#e377c2' lw 2 dt 1 title 'redis duration=2s', 'lab9c_spike-atomic.dat' index 6 using 1:8:9:10 with yerrorlines pt 1 lc rgb '#404040' lw 2 dt 1 title 'sqlite rate=51651.5/s arrival=poisson phases=20% 2s; 200% 2s; 20% 4s duration=8s', 'lab9c_spike-atomic.dat' index 7 using 1:8:9:10 with yerrorlines pt 2 lc rgb '#ff7f0e' lw 2 dt 1 title 'sqlite duration=2s'
unset multiplot
