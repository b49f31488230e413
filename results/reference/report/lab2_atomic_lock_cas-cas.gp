set datafile missing 'nan'
set key below
set grid
set xlabel 'workers'
set logscale x 2
set xrange [0.714:5.600]
set xtics (1, 4)
set terminal pngcairo size 900,640 noenhanced
set output 'results/reference/report/lab2_atomic_lock_cas-cas-throughput.png'
set title 'lab2_atomic_lock_cas / cas: increments/s'
set ylabel 'increments/s'
set logscale y
plot 'results/reference/report/lab2_atomic_lock_cas-cas.dat' index 0 using 1:2 with linespoints title 'inproc keys=1', 'results/reference/report/lab2_atomic_lock_cas-cas.dat' index 1 using 1:2 with linespoints title 'inproc keys=1024', 'results/reference/report/lab2_atomic_lock_cas-cas.dat' index 2 using 1:2 with linespoints title 'manager keys=1', 'results/reference/report/lab2_atomic_lock_cas-cas.dat' index 3 using 1:2 with linespoints title 'manager keys=1024', 'results/reference/report/lab2_atomic_lock_cas-cas.dat' index 4 using 1:2 with linespoints title 'redis keys=1', 'results/reference/report/lab2_atomic_lock_cas-cas.dat' index 5 using 1:2 with linespoints title 'redis keys=1024', 'results/reference/report/lab2_atomic_lock_cas-cas.dat' index 6 using 1:2 with linespoints title 'shm keys=1', 'results/reference/report/lab2_atomic_lock_cas-cas.dat' index 7 using 1:2 with linespoints title 'shm keys=1024'
unset yrange
set autoscale y
set terminal svg size 900,640 noenhanced
set output 'results/reference/report/lab2_atomic_lock_cas-cas-throughput.svg'
set title 'lab2_atomic_lock_cas / cas: increments/s'
set ylabel 'increments/s'
set logscale y
plot 'results/reference/report/lab2_atomic_lock_cas-cas.dat' index 0 using 1:2 with linespoints title 'inproc keys=1', 'results/reference/report/lab2_atomic_lock_cas-cas.dat' index 1 using 1:2 with linespoints title 'inproc keys=1024', 'results/reference/report/lab2_atomic_lock_cas-cas.dat' index 2 using 1:2 with linespoints title 'manager keys=1', 'results/reference/report/lab2_atomic_lock_cas-cas.dat' index 3 using 1:2 with linespoints title 'manager keys=1024', 'results/reference/report/lab2_atomic_lock_cas-cas.dat' index 4 using 1:2 with linespoints title 'redis keys=1', 'results/reference/report/lab2_atomic_lock_cas-cas.dat' index 5 using 1:2 with linespoints title 'redis keys=1024', 'results/reference/report/lab2_atomic_lock_cas-cas.dat' index 6 using 1:2 with linespoints title 'shm keys=1', 'results/reference/report/lab2_atomic_lock_cas-cas.dat' index 7 using 1:2 with linespoints title 'shm keys=1024'
unset yrange
set autoscale y
set terminal pngcairo size 900,640 noenhanced
set output 'results/reference/report/lab2_atomic_lock_cas-cas-p99.png'
set title 'lab2_atomic_lock_cas / cas: p99 latency (us)'
set ylabel 'p99 latency (us)'
set logscale y
plot 'results/reference/report/lab2_atomic_lock_cas-cas.dat' index 0 using 1:3 with linespoints title 'inproc keys=1', 'results/reference/report/lab2_atomic_lock_cas-cas.dat' index 1 using 1:3 with linespoints title 'inproc keys=1024', 'results/reference/report/lab2_atomic_lock_cas-cas.dat' index 2 using 1:3 with linespoints title 'manager keys=1', 'results/reference/report/lab2_atomic_lock_cas-cas.dat' index 3 using 1:3 with linespoints title 'manager keys=1024', 'results/reference/report/lab2_atomic_lock_cas-cas.dat' index 4 using 1:3 with linespoints title 'redis keys=1', 'results/reference/report/lab2_atomic_lock_cas-cas.dat' index 5 using 1:3 with linespoints title 'redis keys=1024', 'results/reference/report/lab2_atomic_lock_cas-cas.dat' index 6 using 1:3 with linespoints title 'shm keys=1', 'results/reference/report/lab2_atomic_lock_cas-cas.dat' index 7 using 1:3 with linespoints title 'shm keys=1024'
unset yrange
set autoscale y
set terminal svg size 900,640 noenhanced
set output 'results/reference/report/lab2_atomic_lock_cas-cas-p99.svg'
set title 'lab2_atomic_lock_cas / cas: p99 latency (us)'
set ylabel 'p99 latency (us)'
set logscale y
plot 'results/reference/report/lab2_atomic_lock_cas-cas.dat' index 0 using 1:3 with linespoints title 'inproc keys=1', 'results/reference/report/lab2_atomic_lock_cas-cas.dat' index 1 using 1:3 with linespoints title 'inproc keys=1024', 'results/reference/report/lab2_atomic_lock_cas-cas.dat' index 2 using 1:3 with linespoints title 'manager keys=1', 'results/reference/report/lab2_atomic_lock_cas-cas.dat' index 3 using 1:3 with linespoints title 'manager keys=1024', 'results/reference/report/lab2_atomic_lock_cas-cas.dat' index 4 using 1:3 with linespoints title 'redis keys=1', 'results/reference/report/lab2_atomic_lock_cas-cas.dat' index 5 using 1:3 with linespoints title 'redis keys=1024', 'results/reference/report/lab2_atomic_lock_cas-cas.dat' index 6 using 1:3 with linespoints title 'shm keys=1', 'results/reference/report/lab2_atomic_lock_cas-cas.dat' index 7 using 1:3 with linespoints title 'shm keys=1024'
unset yrange
set autoscale y
set terminal pngcairo size 900,640 noenhanced
set output 'results/reference/report/lab2_atomic_lock_cas-cas-retries.png'
set title 'lab2_atomic_lock_cas / cas: retries per 1,000 operations'
set ylabel 'retries per 1,000 operations'
unset logscale y
set yrange [0:*]
plot 'results/reference/report/lab2_atomic_lock_cas-cas.dat' index 0 using 1:4 with linespoints title 'inproc keys=1', 'results/reference/report/lab2_atomic_lock_cas-cas.dat' index 1 using 1:4 with linespoints title 'inproc keys=1024', 'results/reference/report/lab2_atomic_lock_cas-cas.dat' index 2 using 1:4 with linespoints title 'manager keys=1', 'results/reference/report/lab2_atomic_lock_cas-cas.dat' index 3 using 1:4 with linespoints title 'manager keys=1024', 'results/reference/report/lab2_atomic_lock_cas-cas.dat' index 4 using 1:4 with linespoints title 'redis keys=1', 'results/reference/report/lab2_atomic_lock_cas-cas.dat' index 5 using 1:4 with linespoints title 'redis keys=1024', 'results/reference/report/lab2_atomic_lock_cas-cas.dat' index 6 using 1:4 with linespoints title 'shm keys=1', 'results/reference/report/lab2_atomic_lock_cas-cas.dat' index 7 using 1:4 with linespoints title 'shm keys=1024'
unset yrange
set autoscale y
set terminal svg size 900,640 noenhanced
set output 'results/reference/report/lab2_atomic_lock_cas-cas-retries.svg'
set title 'lab2_atomic_lock_cas / cas: retries per 1,000 operations'
set ylabel 'retries per 1,000 operations'
unset logscale y
set yrange [0:*]
plot 'results/reference/report/lab2_atomic_lock_cas-cas.dat' index 0 using 1:4 with linespoints title 'inproc keys=1', 'results/reference/report/lab2_atomic_lock_cas-cas.dat' index 1 using 1:4 with linespoints title 'inproc keys=1024', 'results/reference/report/lab2_atomic_lock_cas-cas.dat' index 2 using 1:4 with linespoints title 'manager keys=1', 'results/reference/report/lab2_atomic_lock_cas-cas.dat' index 3 using 1:4 with linespoints title 'manager keys=1024', 'results/reference/report/lab2_atomic_lock_cas-cas.dat' index 4 using 1:4 with linespoints title 'redis keys=1', 'results/reference/report/lab2_atomic_lock_cas-cas.dat' index 5 using 1:4 with linespoints title 'redis keys=1024', 'results/reference/report/lab2_atomic_lock_cas-cas.dat' index 6 using 1:4 with linespoints title 'shm keys=1', 'results/reference/report/lab2_atomic_lock_cas-cas.dat' index 7 using 1:4 with linespoints title 'shm keys=1024'
unset yrange
set autoscale y
