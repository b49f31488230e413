set datafile missing 'nan'
set grid
set samples 400
unset logscale x
set xrange [0.850000:4.150000]
set xtics (1, 4)
set terminal pngcairo size 1400,585 noenhanced
set output 'lab2_atomic_lock_cas-atomic-throughput.png'
set ylabel "goodput, increments/s kept\nlog scale"
set logscale y
set yrange [9475.74:2.69161e+08]
set lmargin at screen 0.095
set rmargin at screen 0.640
set multiplot title "lab2_atomic_lock_cas / atomic: goodput, increments/s kept\nbars: the interval of the median over repetitions (min to max below 6)"
unset arrow
unset label
set tmargin at screen 0.8803
set bmargin at screen 0.1282
set key at screen 0.660, screen 0.8803 left top Left reverse samplen 2
set title ''
set xlabel 'workers'
plot 'lab2_atomic_lock_cas-atomic.dat' index 0 using 1:26:27:28 with yerrorlines pt 7 lc rgb '#1f77b4' lw 2 dt 1 title 'inproc keys=1', 'lab2_atomic_lock_cas-atomic.dat' index 1 using 1:26:27:28 with yerrorlines pt 5 lc rgb '#d62728' lw 2 dt 1 title 'inproc keys=1024', 'lab2_atomic_lock_cas-atomic.dat' index 2 using 1:26:27:28 with yerrorlines pt 9 lc rgb '#2ca02c' lw 2 dt 1 title 'manager keys=1', 'lab2_atomic_lock_cas-atomic.dat' index 3 using 1:26:27:28 with yerrorlines pt 11 lc rgb '#9467bd' lw 2 dt 1 title 'manager keys=1024', 'lab2_atomic_lock_cas-atomic.dat' index 4 using 1:26:27:28 with yerrorlines pt 13 lc rgb '#8c564b' lw 2 dt 1 title 'redis keys=1', 'lab2_atomic_lock_cas-atomic.dat' index 5 using 1:26:27:28 with yerrorlines pt 3 lc rgb '#e377c2' lw 2 dt 1 title 'redis keys=1024', 'lab2_atomic_lock_cas-atomic.dat' index 6 using 1:26:27:28 with yerrorlines pt 1 lc rgb '#404040' lw 2 dt 1 title 'shm keys=1', 'lab2_atomic_lock_cas-atomic.dat' index 7 using 1:26:27:28 with yerrorlines pt 2 lc rgb '#ff7f0e' lw 2 dt 1 title 'shm keys=1024'
unset multiplot
set terminal svg size 1400,585 noenhanced
set output 'lab2_atomic_lock_cas-atomic-throughput.svg'
set ylabel "goodput, increments/s kept\nlog scale"
set logscale y
set yrange [9475.74:2.69161e+08]
set lmargin at screen 0.095
set rmargin at screen 0.640
set multiplot title "lab2_atomic_lock_cas / atomic: goodput, increments/s kept\nbars: the interval of the median over repetitions (min to max below 6)"
unset arrow
unset label
set tmargin at screen 0.8803
set bmargin at screen 0.1282
set key at screen 0.660, screen 0.8803 left top Left reverse samplen 2
set title ''
set xlabel 'workers'
plot 'lab2_atomic_lock_cas-atomic.dat' index 0 using 1:26:27:28 with yerrorlines pt 7 lc rgb '#1f77b4' lw 2 dt 1 title 'inproc keys=1', 'lab2_atomic_lock_cas-atomic.dat' index 1 using 1:26:27:28 with yerrorlines pt 5 lc rgb '#d62728' lw 2 dt 1 title 'inproc keys=1024', 'lab2_atomic_lock_cas-atomic.dat' index 2 using 1:26:27:28 with yerrorlines pt 9 lc rgb '#2ca02c' lw 2 dt 1 title 'manager keys=1', 'lab2_atomic_lock_cas-atomic.dat' index 3 using 1:26:27:28 with yerrorlines pt 11 lc rgb '#9467bd' lw 2 dt 1 title 'manager keys=1024', 'lab2_atomic_lock_cas-atomic.dat' index 4 using 1:26:27:28 with yerrorlines pt 13 lc rgb '#8c564b' lw 2 dt 1 title 'redis keys=1', 'lab2_atomic_lock_cas-atomic.dat' index 5 using 1:26:27:28 with yerrorlines pt 3 lc rgb '#e377c2' lw 2 dt 1 title 'redis keys=1024', 'lab2_atomic_lock_cas-atomic.dat' index 6 using 1:26:27:28 with yerrorlines pt 1 lc rgb '#404040' lw 2 dt 1 title 'shm keys=1', 'lab2_atomic_lock_cas-atomic.dat' index 7 using 1:26:27:28 with yerrorlines pt 2 lc rgb '#ff7f0e' lw 2 dt 1 title 'shm keys=1024'
unset multiplot
set terminal pngcairo size 1400,585 noenhanced
set output 'lab2_atomic_lock_cas-atomic-p99.png'
set ylabel "p99 service time (us)\nlog scale"
set logscale y
set yrange [0.02:184.318]
set lmargin at screen 0.095
set rmargin at screen 0.640
set multiplot title "lab2_atomic_lock_cas / atomic: p99 service time (us)\nbars: the interval of the median over repetitions (min to max below 6)"
unset arrow
unset label
set tmargin at screen 0.8803
set bmargin at screen 0.1282
set key at screen 0.660, screen 0.8803 left top Left reverse samplen 2
set title ''
set xlabel 'workers'
plot 'lab2_atomic_lock_cas-atomic.dat' index 0 using 1:5:6:7 with yerrorlines pt 7 lc rgb '#1f77b4' lw 2 dt 1 title 'inproc keys=1', 'lab2_atomic_lock_cas-atomic.dat' index 1 using 1:5:6:7 with yerrorlines pt 5 lc rgb '#d62728' lw 2 dt 1 title 'inproc keys=1024', 'lab2_atomic_lock_cas-atomic.dat' index 2 using 1:5:6:7 with yerrorlines pt 9 lc rgb '#2ca02c' lw 2 dt 1 title 'manager keys=1', 'lab2_atomic_lock_cas-atomic.dat' index 3 using 1:5:6:7 with yerrorlines pt 11 lc rgb '#9467bd' lw 2 dt 1 title 'manager keys=1024', 'lab2_atomic_lock_cas-atomic.dat' index 4 using 1:5:6:7 with yerrorlines pt 13 lc rgb '#8c564b' lw 2 dt 1 title 'redis keys=1', 'lab2_atomic_lock_cas-atomic.dat' index 5 using 1:5:6:7 with yerrorlines pt 3 lc rgb '#e377c2' lw 2 dt 1 title 'redis keys=1024', 'lab2_atomic_lock_cas-atomic.dat' index 6 using 1:5:6:7 with yerrorlines pt 1 lc rgb '#404040' lw 2 dt 1 title 'shm keys=1', 'lab2_atomic_lock_cas-atomic.dat' index 7 using 1:5:6:7 with yerrorlines pt 2 lc rgb '#ff7f0e' lw 2 dt 1 title 'shm keys=1024'
unset multiplot
set terminal svg size 1400,585 noenhanced
set output 'lab2_atomic_lock_cas-atomic-p99.svg'
set ylabel "p99 service time (us)\nlog scale"
set logscale y
set yrange [0.02:184.318]
set lmargin at screen 0.095
set rmargin at screen 0.640
set multiplot title "lab2_atomic_lock_cas / atomic: p99 service time (us)\nbars: the interval of the median over repetitions (min to max below 6)"
unset arrow
unset label
set tmargin at screen 0.8803
set bmargin at screen 0.1282
set key at screen 0.660, screen 0.8803 left top Left reverse samplen 2
set title ''
set xlabel 'workers'
plot 'lab2_atomic_lock_cas-atomic.dat' index 0 using 1:5:6:7 with yerrorlines pt 7 lc rgb '#1f77b4' lw 2 dt 1 title 'inproc keys=1', 'lab2_atomic_lock_cas-atomic.dat' index 1 using 1:5:6:7 with yerrorlines pt 5 lc rgb '#d62728' lw 2 dt 1 title 'inproc keys=1024', 'lab2_atomic_lock_cas-atomic.dat' index 2 using 1:5:6:7 with yerrorlines pt 9 lc rgb '#2ca02c' lw 2 dt 1 title 'manager keys=1', 'lab2_atomic_lock_cas-atomic.dat' index 3 using 1:5:6:7 with yerrorlines pt 11 lc rgb '#9467bd' lw 2 dt 1 title 'manager keys=1024', 'lab2_atomic_lock_cas-atomic.dat' index 4 using 1:5:6:7 with yerrorlines pt 13 lc rgb '#8c564b' lw 2 dt 1 title 'redis keys=1', 'lab2_atomic_lock_cas-atomic.dat' index 5 using 1:5:6:7 with yerrorlines pt 3 lc rgb '#e377c2' lw 2 dt 1 title 'redis keys=1024', 'lab2_atomic_lock_cas-atomic.dat' index 6 using 1:5:6:7 with yerrorlines pt 1 lc rgb '#404040' lw 2 dt 1 title 'shm keys=1', 'lab2_atomic_lock_cas-atomic.dat' index 7 using 1:5:6:7 with yerrorlines pt 2 lc rgb '#ff7f0e' lw 2 dt 1 title 'shm keys=1024'
unset multiplot
set terminal pngcairo size 1400,585 noenhanced
set output 'lab2_atomic_lock_cas-atomic-retries.png'
set ylabel 'retries per 1,000 operations'
unset logscale y
set yrange [0:1]
set lmargin at screen 0.095
set rmargin at screen 0.640
set multiplot title "lab2_atomic_lock_cas / atomic: retries per 1,000 operations\nbars: the interval of the median over repetitions (min to max below 6)"
unset arrow
unset label
set tmargin at screen 0.8803
set bmargin at screen 0.1282
set key at screen 0.660, screen 0.8803 left top Left reverse samplen 2
set title ''
set xlabel 'workers'
plot 'lab2_atomic_lock_cas-atomic.dat' index 0 using 1:8:9:10 with yerrorlines pt 7 lc rgb '#1f77b4' lw 2 dt 1 title 'inproc keys=1', 'lab2_atomic_lock_cas-atomic.dat' index 1 using 1:8:9:10 with yerrorlines pt 5 lc rgb '#d62728' lw 2 dt 1 title 'inproc keys=1024', 'lab2_atomic_lock_cas-atomic.dat' index 2 using 1:8:9:10 with yerrorlines pt 9 lc rgb '#2ca02c' lw 2 dt 1 title 'manager keys=1', 'lab2_atomic_lock_cas-atomic.dat' index 3 using 1:8:9:10 with yerrorlines pt 11 lc rgb '#9467bd' lw 2 dt 1 title 'manager keys=1024', 'lab2_atomic_lock_cas-atomic.dat' index 4 using 1:8:9:10 with yerrorlines pt 13 lc rgb '#8c564b' lw 2 dt 1 title 'redis keys=1', 'lab2_atomic_lock_cas-atomic.dat' index 5 using 1:8:9:10 with yerrorlines pt 3 lc rgb '#e377c2' lw 2 dt 1 title 'redis keys=1024', 'lab2_atomic_lock_cas-atomic.dat' index 6 using 1:8:9:10 with yerrorlines pt 1 lc rgb '#404040' lw 2 dt 1 title 'shm keys=1', 'lab2_atomic_lock_cas-atomic.dat' index 7 using 1:8:9:10 with yerrorlines pt 2 lc rgb '#ff7f0e' lw 2 dt 1 title 'shm keys=1024'
unset multiplot
set terminal svg size 1400,585 noenhanced
set output 'lab2_atomic_lock_cas-atomic-retries.svg'
set ylabel 'retries per 1,000 operations'
unset logscale y
set yrange [0:1]
set lmargin at screen 0.095
set rmargin at screen 0.640
set multiplot title "lab2_atomic_lock_cas / atomic: retries per 1,000 operations\nbars: the interval of the median over repetitions (min to max below 6)"
unset arrow
unset label
set tmargin at screen 0.8803
set bmargin at screen 0.1282
set key at screen 0.660, screen 0.8803 left top Left reverse samplen 2
set title ''
set xlabel 'workers'
plot 'lab2_atomic_lock_cas-atomic.dat' index 0 using 1:8:9:10 with yerrorlines pt 7 lc rgb '#1f77b4' lw 2 dt 1 title 'inproc keys=1', 'lab2_atomic_lock_cas-atomic.dat' index 1 using 1:8:9:10 with yerrorlines pt 5 lc rgb '#d62728' lw 2 dt 1 title 'inproc keys=1024', 'lab2_atomic_lock_cas-atomic.dat' index 2 using 1:8:9:10 with yerrorlines pt 9 lc rgb '#2ca02c' lw 2 dt 1 title 'manager keys=1', 'lab2_atomic_lock_cas-atomic.dat' index 3 using 1:8:9:10 with yerrorlines pt 11 lc rgb '#9467bd' lw 2 dt 1 title 'manager keys=1024', 'lab2_atomic_lock_cas-atomic.dat' index 4 using 1:8:9:10 with yerrorlines pt 13 lc rgb '#8c564b' lw 2 dt 1 title 'redis keys=1', 'lab2_atomic_lock_cas-atomic.dat' index 5 using 1:8:9:10 with yerrorlines pt 3 lc rgb '#e377c2' lw 2 dt 1 title 'redis keys=1024', 'lab2_atomic_lock_cas-atomic.dat' index 6 using 1:8:9:10 with yerrorlines pt 1 lc rgb '#404040' lw 2 dt 1 title 'shm keys=1', 'lab2_atomic_lock_cas-atomic.dat' index 7 using 1:8:9:10 with yerrorlines pt 2 lc rgb '#ff7f0e' lw 2 dt 1 title 'shm keys=1024'
unset multiplot
