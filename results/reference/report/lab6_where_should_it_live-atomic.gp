set datafile missing 'nan'
set grid
set samples 400
set logscale x 2
set xrange [0.714286:11.200000]
set xtics (1, 8)
set terminal pngcairo size 1400,925 noenhanced
set output 'lab6_where_should_it_live-atomic-throughput.png'
set ylabel "goodput, increments/s kept\nlog scale"
set logscale y
set yrange [2880.23:2.56817e+08]
set lmargin at screen 0.095
set rmargin at screen 0.640
set multiplot title "lab6_where_should_it_live / atomic: goodput, increments/s kept\none run a point: repeat runs for their spread; the panels share their axes"
unset arrow
unset label
set tmargin at screen 0.8973
set bmargin at screen 0.5514
set key at screen 0.660, screen 0.8973 left top Left reverse samplen 2
set title 'inproc, manager, postgres, redis'
set xlabel ''
plot 'lab6_where_should_it_live-atomic.dat' index 0 using 1:26:27:28 with yerrorlines pt 7 lc rgb '#1f77b4' lw 2 dt 1 title 'inproc', 'lab6_where_should_it_live-atomic.dat' index 1 using 1:26:27:28 with yerrorlines pt 5 lc rgb '#d62728' lw 2 dt 1 title 'manager [model=loop;pipeline=16]', 'lab6_where_should_it_live-atomic.dat' index 2 using 1:26:27:28 with yerrorlines pt 9 lc rgb '#2ca02c' lw 2 dt 1 title 'manager [model=loop;pipeline=1]', 'lab6_where_should_it_live-atomic.dat' index 3 using 1:26:27:28 with yerrorlines pt 11 lc rgb '#9467bd' lw 2 dt 1 title 'manager [model=threads;pipeline=16]', 'lab6_where_should_it_live-atomic.dat' index 4 using 1:26:27:28 with yerrorlines pt 13 lc rgb '#8c564b' lw 2 dt 1 title 'manager [model=threads;pipeline=1]', 'lab6_where_should_it_live-atomic.dat' index 5 using 1:26:27:28 with yerrorlines pt 3 lc rgb '#e377c2' lw 2 dt 1 title 'postgres', 'lab6_where_should_it_live-atomic.dat' index 6 using 1:26:27:28 with yerrorlines pt 1 lc rgb '#404040' lw 2 dt 1 title 'redis [pipeline=16]', 'lab6_where_should_it_live-atomic.dat' index 7 using 1:26:27:28 with yerrorlines pt 2 lc rgb '#ff7f0e' lw 2 dt 1 title 'redis [pipeline=1]'
unset arrow
unset label
set tmargin at screen 0.4270
set bmargin at screen 0.0811
set key at screen 0.660, screen 0.4270 left top Left reverse samplen 2
set title 'shm, sqlite'
set xlabel 'workers, log scale'
plot 'lab6_where_should_it_live-atomic.dat' index 8 using 1:26:27:28 with yerrorlines pt 7 lc rgb '#1f77b4' lw 2 dt 1 title 'shm', 'lab6_where_should_it_live-atomic.dat' index 9 using 1:26:27:28 with yerrorlines pt 5 lc rgb '#d62728' lw 2 dt 1 title 'sqlite'
unset multiplot
set terminal svg size 1400,925 noenhanced
set output 'lab6_where_should_it_live-atomic-throughput.svg'
set ylabel "goodput, increments/s kept\nlog scale"
set logscale y
set yrange [2880.23:2.56817e+08]
set lmargin at screen 0.095
set rmargin at screen 0.640
set multiplot title "lab6_where_should_it_live / atomic: goodput, increments/s kept\none run a point: repeat runs for their spread; the panels share their axes"
unset arrow
unset label
set tmargin at screen 0.8973
set bmargin at screen 0.5514
set key at screen 0.660, screen 0.8973 left top Left reverse samplen 2
set title 'inproc, manager, postgres, redis'
set xlabel ''
plot 'lab6_where_should_it_live-atomic.dat' index 0 using 1:26:27:28 with yerrorlines pt 7 lc rgb '#1f77b4' lw 2 dt 1 title 'inproc', 'lab6_where_should_it_live-atomic.dat' index 1 using 1:26:27:28 with yerrorlines pt 5 lc rgb '#d62728' lw 2 dt 1 title 'manager [model=loop;pipeline=16]', 'lab6_where_should_it_live-atomic.dat' index 2 using 1:26:27:28 with yerrorlines pt 9 lc rgb '#2ca02c' lw 2 dt 1 title 'manager [model=loop;pipeline=1]', 'lab6_where_should_it_live-atomic.dat' index 3 using 1:26:27:28 with yerrorlines pt 11 lc rgb '#9467bd' lw 2 dt 1 title 'manager [model=threads;pipeline=16]', 'lab6_where_should_it_live-atomic.dat' index 4 using 1:26:27:28 with yerrorlines pt 13 lc rgb '#8c564b' lw 2 dt 1 title 'manager [model=threads;pipeline=1]', 'lab6_where_should_it_live-atomic.dat' index 5 using 1:26:27:28 with yerrorlines pt 3 lc rgb '#e377c2' lw 2 dt 1 title 'postgres', 'lab6_where_should_it_live-atomic.dat' index 6 using 1:26:27:28 with yerrorlines pt 1 lc rgb '#404040' lw 2 dt 1 title 'redis [pipeline=16]', 'lab6_where_should_it_live-atomic.dat' index 7 using 1:26:27:28 with yerrorlines pt 2 lc rgb '#ff7f0e' lw 2 dt 1 title 'redis [pipeline=1]'
unset arrow
unset label
set tmargin at screen 0.4270
set bmargin at screen 0.0811
set key at screen 0.660, screen 0.4270 left top Left reverse samplen 2
set title 'shm, sqlite'
set xlabel 'workers, log scale'
plot 'lab6_where_should_it_live-atomic.dat' index 8 using 1:26:27:28 with yerrorlines pt 7 lc rgb '#1f77b4' lw 2 dt 1 title 'shm', 'lab6_where_should_it_live-atomic.dat' index 9 using 1:26:27:28 with yerrorlines pt 5 lc rgb '#d62728' lw 2 dt 1 title 'sqlite'
unset multiplot
set terminal pngcairo size 1400,925 noenhanced
set output 'lab6_where_should_it_live-atomic-p99.png'
set ylabel "p99 service time (us)\nlog scale"
set logscale y
set yrange [0.02:16252.9]
set lmargin at screen 0.095
set rmargin at screen 0.640
set multiplot title "lab6_where_should_it_live / atomic: p99 service time (us)\none run a point: repeat runs for their spread; the panels share their axes"
unset arrow
unset label
set tmargin at screen 0.8973
set bmargin at screen 0.5514
set key at screen 0.660, screen 0.8973 left top Left reverse samplen 2
set title 'inproc, manager, postgres, redis'
set xlabel ''
plot 'lab6_where_should_it_live-atomic.dat' index 0 using 1:5:6:7 with yerrorlines pt 7 lc rgb '#1f77b4' lw 2 dt 1 title 'inproc', 'lab6_where_should_it_live-atomic.dat' index 1 using 1:5:6:7 with yerrorlines pt 5 lc rgb '#d62728' lw 2 dt 1 title 'manager [model=loop;pipeline=16]', 'lab6_where_should_it_live-atomic.dat' index 2 using 1:5:6:7 with yerrorlines pt 9 lc rgb '#2ca02c' lw 2 dt 1 title 'manager [model=loop;pipeline=1]', 'lab6_where_should_it_live-atomic.dat' index 3 using 1:5:6:7 with yerrorlines pt 11 lc rgb '#9467bd' lw 2 dt 1 title 'manager [model=threads;pipeline=16]', 'lab6_where_should_it_live-atomic.dat' index 4 using 1:5:6:7 with yerrorlines pt 13 lc rgb '#8c564b' lw 2 dt 1 title 'manager [model=threads;pipeline=1]', 'lab6_where_should_it_live-atomic.dat' index 5 using 1:5:6:7 with yerrorlines pt 3 lc rgb '#e377c2' lw 2 dt 1 title 'postgres', 'lab6_where_should_it_live-atomic.dat' index 6 using 1:5:6:7 with yerrorlines pt 1 lc rgb '#404040' lw 2 dt 1 title 'redis [pipeline=16]', 'lab6_where_should_it_live-atomic.dat' index 7 using 1:5:6:7 with yerrorlines pt 2 lc rgb '#ff7f0e' lw 2 dt 1 title 'redis [pipeline=1]'
unset arrow
unset label
set tmargin at screen 0.4270
set bmargin at screen 0.0811
set key at screen 0.660, screen 0.4270 left top Left reverse samplen 2
set title 'shm, sqlite'
set xlabel 'workers, log scale'
plot 'lab6_where_should_it_live-atomic.dat' index 8 using 1:5:6:7 with yerrorlines pt 7 lc rgb '#1f77b4' lw 2 dt 1 title 'shm', 'lab6_where_should_it_live-atomic.dat' index 9 using 1:5:6:7 with yerrorlines pt 5 lc rgb '#d62728' lw 2 dt 1 title 'sqlite'
unset multiplot
set terminal svg size 1400,925 noenhanced
set output 'lab6_where_should_it_live-atomic-p99.svg'
set ylabel "p99 service time (us)\nlog scale"
set logscale y
set yrange [0.02:16252.9]
set lmargin at screen 0.095
set rmargin at screen 0.640
set multiplot title "lab6_where_should_it_live / atomic: p99 service time (us)\none run a point: repeat runs for their spread; the panels share their axes"
unset arrow
unset label
set tmargin at screen 0.8973
set bmargin at screen 0.5514
set key at screen 0.660, screen 0.8973 left top Left reverse samplen 2
set title 'inproc, manager, postgres, redis'
set xlabel ''
plot 'lab6_where_should_it_live-atomic.dat' index 0 using 1:5:6:7 with yerrorlines pt 7 lc rgb '#1f77b4' lw 2 dt 1 title 'inproc', 'lab6_where_should_it_live-atomic.dat' index 1 using 1:5:6:7 with yerrorlines pt 5 lc rgb '#d62728' lw 2 dt 1 title 'manager [model=loop;pipeline=16]', 'lab6_where_should_it_live-atomic.dat' index 2 using 1:5:6:7 with yerrorlines pt 9 lc rgb '#2ca02c' lw 2 dt 1 title 'manager [model=loop;pipeline=1]', 'lab6_where_should_it_live-atomic.dat' index 3 using 1:5:6:7 with yerrorlines pt 11 lc rgb '#9467bd' lw 2 dt 1 title 'manager [model=threads;pipeline=16]', 'lab6_where_should_it_live-atomic.dat' index 4 using 1:5:6:7 with yerrorlines pt 13 lc rgb '#8c564b' lw 2 dt 1 title 'manager [model=threads;pipeline=1]', 'lab6_where_should_it_live-atomic.dat' index 5 using 1:5:6:7 with yerrorlines pt 3 lc rgb '#e377c2' lw 2 dt 1 title 'postgres', 'lab6_where_should_it_live-atomic.dat' index 6 using 1:5:6:7 with yerrorlines pt 1 lc rgb '#404040' lw 2 dt 1 title 'redis [pipeline=16]', 'lab6_where_should_it_live-atomic.dat' index 7 using 1:5:6:7 with yerrorlines pt 2 lc rgb '#ff7f0e' lw 2 dt 1 title 'redis [pipeline=1]'
unset arrow
unset label
set tmargin at screen 0.4270
set bmargin at screen 0.0811
set key at screen 0.660, screen 0.4270 left top Left reverse samplen 2
set title 'shm, sqlite'
set xlabel 'workers, log scale'
plot 'lab6_where_should_it_live-atomic.dat' index 8 using 1:5:6:7 with yerrorlines pt 7 lc rgb '#1f77b4' lw 2 dt 1 title 'shm', 'lab6_where_should_it_live-atomic.dat' index 9 using 1:5:6:7 with yerrorlines pt 5 lc rgb '#d62728' lw 2 dt 1 title 'sqlite'
unset multiplot
set terminal pngcairo size 1400,925 noenhanced
set output 'lab6_where_should_it_live-atomic-retries.png'
set ylabel 'retries per 1,000 operations'
unset logscale y
set yrange [0:286.082]
set lmargin at screen 0.095
set rmargin at screen 0.640
set multiplot title "lab6_where_should_it_live / atomic: retries per 1,000 operations\none run a point: repeat runs for their spread; the panels share their axes"
unset arrow
unset label
set tmargin at screen 0.8973
set bmargin at screen 0.5514
set key at screen 0.660, screen 0.8973 left top Left reverse samplen 2
set title 'inproc, manager, postgres, redis'
set xlabel ''
plot 'lab6_where_should_it_live-atomic.dat' index 0 using 1:8:9:10 with yerrorlines pt 7 lc rgb '#1f77b4' lw 2 dt 1 title 'inproc', 'lab6_where_should_it_live-atomic.dat' index 1 using 1:8:9:10 with yerrorlines pt 5 lc rgb '#d62728' lw 2 dt 1 title 'manager [model=loop;pipeline=16]', 'lab6_where_should_it_live-atomic.dat' index 2 using 1:8:9:10 with yerrorlines pt 9 lc rgb '#2ca02c' lw 2 dt 1 title 'manager [model=loop;pipeline=1]', 'lab6_where_should_it_live-atomic.dat' index 3 using 1:8:9:10 with yerrorlines pt 11 lc rgb '#9467bd' lw 2 dt 1 title 'manager [model=threads;pipeline=16]', 'lab6_where_should_it_live-atomic.dat' index 4 using 1:8:9:10 with yerrorlines pt 13 lc rgb '#8c564b' lw 2 dt 1 title 'manager [model=threads;pipeline=1]', 'lab6_where_should_it_live-atomic.dat' index 5 using 1:8:9:10 with yerrorlines pt 3 lc rgb '#e377c2' lw 2 dt 1 title 'postgres', 'lab6_where_should_it_live-atomic.dat' index 6 using 1:8:9:10 with yerrorlines pt 1 lc rgb '#404040' lw 2 dt 1 title 'redis [pipeline=16]', 'lab6_where_should_it_live-atomic.dat' index 7 using 1:8:9:10 with yerrorlines pt 2 lc rgb '#ff7f0e' lw 2 dt 1 title 'redis [pipeline=1]'
unset arrow
unset label
set tmargin at screen 0.4270
set bmargin at screen 0.0811
set key at screen 0.660, screen 0.4270 left top Left reverse samplen 2
set title 'shm, sqlite'
set xlabel 'workers, log scale'
plot 'lab6_where_should_it_live-atomic.dat' index 8 using 1:8:9:10 with yerrorlines pt 7 lc rgb '#1f77b4' lw 2 dt 1 title 'shm', 'lab6_where_should_it_live-atomic.dat' index 9 using 1:8:9:10 with yerrorlines pt 5 lc rgb '#d62728' lw 2 dt 1 title 'sqlite'
unset multiplot
set terminal svg size 1400,925 noenhanced
set output 'lab6_where_should_it_live-atomic-retries.svg'
set ylabel 'retries per 1,000 operations'
unset logscale y
set yrange [0:286.082]
set lmargin at screen 0.095
set rmargin at screen 0.640
set multiplot title "lab6_where_should_it_live / atomic: retries per 1,000 operations\none run a point: repeat runs for their spread; the panels share their axes"
unset arrow
unset label
set tmargin at screen 0.8973
set bmargin at screen 0.5514
set key at screen 0.660, screen 0.8973 left top Left reverse samplen 2
set title 'inproc, manager, postgres, redis'
set xlabel ''
plot 'lab6_where_should_it_live-atomic.dat' index 0 using 1:8:9:10 with yerrorlines pt 7 lc rgb '#1f77b4' lw 2 dt 1 title 'inproc', 'lab6_where_should_it_live-atomic.dat' index 1 using 1:8:9:10 with yerrorlines pt 5 lc rgb '#d62728' lw 2 dt 1 title 'manager [model=loop;pipeline=16]', 'lab6_where_should_it_live-atomic.dat' index 2 using 1:8:9:10 with yerrorlines pt 9 lc rgb '#2ca02c' lw 2 dt 1 title 'manager [model=loop;pipeline=1]', 'lab6_where_should_it_live-atomic.dat' index 3 using 1:8:9:10 with yerrorlines pt 11 lc rgb '#9467bd' lw 2 dt 1 title 'manager [model=threads;pipeline=16]', 'lab6_where_should_it_live-atomic.dat' index 4 using 1:8:9:10 with yerrorlines pt 13 lc rgb '#8c564b' lw 2 dt 1 title 'manager [model=threads;pipeline=1]', 'lab6_where_should_it_live-atomic.dat' index 5 using 1:8:9:10 with yerrorlines pt 3 lc rgb '#e377c2' lw 2 dt 1 title 'postgres', 'lab6_where_should_it_live-atomic.dat' index 6 using 1:8:9:10 with yerrorlines pt 1 lc rgb '#404040' lw 2 dt 1 title 'redis [pipeline=16]', 'lab6_where_should_it_live-atomic.dat' index 7 using 1:8:9:10 with yerrorlines pt 2 lc rgb '#ff7f0e' lw 2 dt 1 title 'redis [pipeline=1]'
unset arrow
unset label
set tmargin at screen 0.4270
set bmargin at screen 0.0811
set key at screen 0.660, screen 0.4270 left top Left reverse samplen 2
set title 'shm, sqlite'
set xlabel 'workers, log scale'
plot 'lab6_where_should_it_live-atomic.dat' index 8 using 1:8:9:10 with yerrorlines pt 7 lc rgb '#1f77b4' lw 2 dt 1 title 'shm', 'lab6_where_should_it_live-atomic.dat' index 9 using 1:8:9:10 with yerrorlines pt 5 lc rgb '#d62728' lw 2 dt 1 title 'sqlite'
unset multiplot
