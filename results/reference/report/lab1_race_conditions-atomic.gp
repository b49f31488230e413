set datafile missing 'nan'
set grid
set samples 400
unset logscale x
set xrange [1.700000:8.300000]
set xtics (2, 4, 8)
set terminal pngcairo size 1400,585 noenhanced
set output 'lab1_race_conditions-atomic-throughput.png'
set ylabel "goodput, increments/s kept\nlog scale"
set logscale y
set yrange [2847.35:9.45461e+07]
set lmargin at screen 0.095
set rmargin at screen 0.640
set multiplot title "lab1_race_conditions / atomic: goodput, increments/s kept\none run a point: repeat runs for their spread"
unset arrow
unset label
set tmargin at screen 0.8803
set bmargin at screen 0.1282
set key at screen 0.660, screen 0.8803 left top Left reverse samplen 2
set title ''
set xlabel 'workers'
plot 'lab1_race_conditions-atomic.dat' index 0 using 1:26:27:28 with yerrorlines pt 7 lc rgb '#1f77b4' lw 2 dt 1 title 'inproc', 'lab1_race_conditions-atomic.dat' index 1 using 1:26:27:28 with yerrorlines pt 5 lc rgb '#d62728' lw 2 dt 1 title 'manager', 'lab1_race_conditions-atomic.dat' index 2 using 1:26:27:28 with yerrorlines pt 9 lc rgb '#2ca02c' lw 2 dt 1 title 'postgres', 'lab1_race_conditions-atomic.dat' index 3 using 1:26:27:28 with yerrorlines pt 11 lc rgb '#9467bd' lw 2 dt 1 title 'redis', 'lab1_race_conditions-atomic.dat' index 4 using 1:26:27:28 with yerrorlines pt 13 lc rgb '#8c564b' lw 2 dt 1 title 'shm', 'lab1_race_conditions-atomic.dat' index 5 using 1:26:27:28 with yerrorlines pt 3 lc rgb '#e377c2' lw 2 dt 1 title 'sqlite'
unset multiplot
set terminal svg size 1400,585 noenhanced
set output 'lab1_race_conditions-atomic-throughput.svg'
set ylabel "goodput, increments/s kept\nlog scale"
set logscale y
set yrange [2847.35:9.45461e+07]
set lmargin at screen 0.095
set rmargin at screen 0.640
set multiplot title "lab1_race_conditions / atomic: goodput, increments/s kept\none run a point: repeat runs for their spread"
unset arrow
unset label
set tmargin at screen 0.8803
set bmargin at screen 0.1282
set key at screen 0.660, screen 0.8803 left top Left reverse samplen 2
set title ''
set xlabel 'workers'
plot 'lab1_race_conditions-atomic.dat' index 0 using 1:26:27:28 with yerrorlines pt 7 lc rgb '#1f77b4' lw 2 dt 1 title 'inproc', 'lab1_race_conditions-atomic.dat' index 1 using 1:26:27:28 with yerrorlines pt 5 lc rgb '#d62728' lw 2 dt 1 title 'manager', 'lab1_race_conditions-atomic.dat' index 2 using 1:26:27:28 with yerrorlines pt 9 lc rgb '#2ca02c' lw 2 dt 1 title 'postgres', 'lab1_race_conditions-atomic.dat' index 3 using 1:26:27:28 with yerrorlines pt 11 lc rgb '#9467bd' lw 2 dt 1 title 'redis', 'lab1_race_conditions-atomic.dat' index 4 using 1:26:27:28 with yerrorlines pt 13 lc rgb '#8c564b' lw 2 dt 1 title 'shm', 'lab1_race_conditions-atomic.dat' index 5 using 1:26:27:28 with yerrorlines pt 3 lc rgb '#e377c2' lw 2 dt 1 title 'sqlite'
unset multiplot
set terminal pngcairo size 1400,585 noenhanced
set output 'lab1_race_conditions-atomic-p99.png'
set ylabel "p99 service time (us)\nlog scale"
set logscale y
set yrange [0.08:13736.3]
set lmargin at screen 0.095
set rmargin at screen 0.640
set multiplot title "lab1_race_conditions / atomic: p99 service time (us)\none run a point: repeat runs for their spread"
unset arrow
unset label
set tmargin at screen 0.8803
set bmargin at screen 0.1282
set key at screen 0.660, screen 0.8803 left top Left reverse samplen 2
set title ''
set xlabel 'workers'
plot 'lab1_race_conditions-atomic.dat' index 0 using 1:5:6:7 with yerrorlines pt 7 lc rgb '#1f77b4' lw 2 dt 1 title 'inproc', 'lab1_race_conditions-atomic.dat' index 1 using 1:5:6:7 with yerrorlines pt 5 lc rgb '#d62728' lw 2 dt 1 title 'manager', 'lab1_race_conditions-atomic.dat' index 2 using 1:5:6:7 with yerrorlines pt 9 lc rgb '#2ca02c' lw 2 dt 1 title 'postgres', 'lab1_race_conditions-atomic.dat' index 3 using 1:5:6:7 with yerrorlines pt 11 lc rgb '#9467bd' lw 2 dt 1 title 'redis', 'lab1_race_conditions-atomic.dat' index 4 using 1:5:6:7 with yerrorlines pt 13 lc rgb '#8c564b' lw 2 dt 1 title 'shm', 'lab1_race_conditions-atomic.dat' index 5 using 1:5:6:7 with yerrorlines pt 3 lc rgb '#e377c2' lw 2 dt 1 title 'sqlite'
unset multiplot
set terminal svg size 1400,585 noenhanced
set output 'lab1_race_conditions-atomic-p99.svg'
set ylabel "p99 service time (us)\nlog scale"
set logscale y
set yrange [0.08:13736.3]
set lmargin at screen 0.095
set rmargin at screen 0.640
set multiplot title "lab1_race_conditions / atomic: p99 service time (us)\none run a point: repeat runs for their spread"
unset arrow
unset label
set tmargin at screen 0.8803
set bmargin at screen 0.1282
set key at screen 0.660, screen 0.8803 left top Left reverse samplen 2
set title ''
set xlabel 'workers'
plot 'lab1_race_conditions-atomic.dat' index 0 using 1:5:6:7 with yerrorlines pt 7 lc rgb '#1f77b4' lw 2 dt 1 title 'inproc', 'lab1_race_conditions-atomic.dat' index 1 using 1:5:6:7 with yerrorlines pt 5 lc rgb '#d62728' lw 2 dt 1 title 'manager', 'lab1_race_conditions-atomic.dat' index 2 using 1:5:6:7 with yerrorlines pt 9 lc rgb '#2ca02c' lw 2 dt 1 title 'postgres', 'lab1_race_conditions-atomic.dat' index 3 using 1:5:6:7 with yerrorlines pt 11 lc rgb '#9467bd' lw 2 dt 1 title 'redis', 'lab1_race_conditions-atomic.dat' index 4 using 1:5:6:7 with yerrorlines pt 13 lc rgb '#8c564b' lw 2 dt 1 title 'shm', 'lab1_race_conditions-atomic.dat' index 5 using 1:5:6:7 with yerrorlines pt 3 lc rgb '#e377c2' lw 2 dt 1 title 'sqlite'
unset multiplot
set terminal pngcairo size 1400,585 noenhanced
set output 'lab1_race_conditions-atomic-retries.png'
set ylabel 'retries per 1,000 operations'
unset logscale y
set yrange [0:275.451]
set lmargin at screen 0.095
set rmargin at screen 0.640
set multiplot title "lab1_race_conditions / atomic: retries per 1,000 operations\none run a point: repeat runs for their spread"
unset arrow
unset label
set tmargin at screen 0.8803
set bmargin at screen 0.1282
set key at screen 0.660, screen 0.8803 left top Left reverse samplen 2
set title ''
set xlabel 'workers'
plot 'lab1_race_conditions-atomic.dat' index 0 using 1:8:9:10 with yerrorlines pt 7 lc rgb '#1f77b4' lw 2 dt 1 title 'inproc', 'lab1_race_conditions-atomic.dat' index 1 using 1:8:9:10 with yerrorlines pt 5 lc rgb '#d62728' lw 2 dt 1 title 'manager', 'lab1_race_conditions-atomic.dat' index 2 using 1:8:9:10 with yerrorlines pt 9 lc rgb '#2ca02c' lw 2 dt 1 title 'postgres', 'lab1_race_conditions-atomic.dat' index 3 using 1:8:9:10 with yerrorlines pt 11 lc rgb '#9467bd' lw 2 dt 1 title 'redis', 'lab1_race_conditions-atomic.dat' index 4 using 1:8:9:10 with yerrorlines pt 13 lc rgb '#8c564b' lw 2 dt 1 title 'shm', 'lab1_race_conditions-atomic.dat' index 5 using 1:8:9:10 with yerrorlines pt 3 lc rgb '#e377c2' lw 2 dt 1 title 'sqlite'
unset multiplot
set terminal svg size 1400,585 noenhanced
set output 'lab1_race_conditions-atomic-retries.svg'
set ylabel 'retries per 1,000 operations'
unset logscale y
set yrange [0:275.451]
set lmargin at screen 0.095
set rmargin at screen 0.640
set multiplot title "lab1_race_conditions / atomic: retries per 1,000 operations\none run a point: repeat runs for their spread"
unset arrow
unset label
set tmargin at screen 0.8803
set bmargin at screen 0.1282
set key at screen 0.660, screen 0.8803 left top Left reverse samplen 2
set title ''
set xlabel 'workers'
plot 'lab1_race_conditions-atomic.dat' index 0 using 1:8:9:10 with yerrorlines pt 7 lc rgb '#1f77b4' lw 2 dt 1 title 'inproc', 'lab1_race_conditions-atomic.dat' index 1 using 1:8:9:10 with yerrorlines pt 5 lc rgb '#d62728' lw 2 dt 1 title 'manager', 'lab1_race_conditions-atomic.dat' index 2 using 1:8:9:10 with yerrorlines pt 9 lc rgb '#2ca02c' lw 2 dt 1 title 'postgres', 'lab1_race_conditions-atomic.dat' index 3 using 1:8:9:10 with yerrorlines pt 11 lc rgb '#9467bd' lw 2 dt 1 title 'redis', 'lab1_race_conditions-atomic.dat' index 4 using 1:8:9:10 with yerrorlines pt 13 lc rgb '#8c564b' lw 2 dt 1 title 'shm', 'lab1_race_conditions-atomic.dat' index 5 using 1:8:9:10 with yerrorlines pt 3 lc rgb '#e377c2' lw 2 dt 1 title 'sqlite'
unset multiplot
