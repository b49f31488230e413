set datafile missing 'nan'
set key below
set grid
set xlabel 'workers'
set logscale x 2
set xrange [1.429:2.800]
set xtics (2)
set terminal pngcairo size 900,640 noenhanced
set output 'results/reference/report/lab5_threads_vs_processes-atomic-throughput.png'
set title 'lab5_threads_vs_processes / atomic: increments/s'
set ylabel 'increments/s'
set logscale y
plot 'results/reference/report/lab5_threads_vs_processes-atomic.dat' index 0 using 1:2 with linespoints title 'manager processes', 'results/reference/report/lab5_threads_vs_processes-atomic.dat' index 1 using 1:2 with linespoints title 'manager threads', 'results/reference/report/lab5_threads_vs_processes-atomic.dat' index 2 using 1:2 with linespoints title 'redis processes', 'results/reference/report/lab5_threads_vs_processes-atomic.dat' index 3 using 1:2 with linespoints title 'redis threads', 'results/reference/report/lab5_threads_vs_processes-atomic.dat' index 4 using 1:2 with linespoints title 'shm processes', 'results/reference/report/lab5_threads_vs_processes-atomic.dat' index 5 using 1:2 with linespoints title 'shm threads', 'results/reference/report/lab5_threads_vs_processes-atomic.dat' index 6 using 1:2 with linespoints title 'sqlite processes', 'results/reference/report/lab5_threads_vs_processes-atomic.dat' index 7 using 1:2 with linespoints title 'sqlite threads'
unset yrange
set autoscale y
set terminal svg size 900,640 noenhanced
set output 'results/reference/report/lab5_threads_vs_processes-atomic-throughput.svg'
set title 'lab5_threads_vs_processes / atomic: increments/s'
set ylabel 'increments/s'
set logscale y
plot 'results/reference/report/lab5_threads_vs_processes-atomic.dat' index 0 using 1:2 with linespoints title 'manager processes', 'results/reference/report/lab5_threads_vs_processes-atomic.dat' index 1 using 1:2 with linespoints title 'manager threads', 'results/reference/report/lab5_threads_vs_processes-atomic.dat' index 2 using 1:2 with linespoints title 'redis processes', 'results/reference/report/lab5_threads_vs_processes-atomic.dat' index 3 using 1:2 with linespoints title 'redis threads', 'results/reference/report/lab5_threads_vs_processes-atomic.dat' index 4 using 1:2 with linespoints title 'shm processes', 'results/reference/report/lab5_threads_vs_processes-atomic.dat' index 5 using 1:2 with linespoints title 'shm threads', 'results/reference/report/lab5_threads_vs_processes-atomic.dat' index 6 using 1:2 with linespoints title 'sqlite processes', 'results/reference/report/lab5_threads_vs_processes-atomic.dat' index 7 using 1:2 with linespoints title 'sqlite threads'
unset yrange
set autoscale y
set terminal pngcairo size 900,640 noenhanced
set output 'results/reference/report/lab5_threads_vs_processes-atomic-p99.png'
set title 'lab5_threads_vs_processes / atomic: p99 latency (us)'
set ylabel 'p99 latency (us)'
set logscale y
plot 'results/reference/report/lab5_threads_vs_processes-atomic.dat' index 0 using 1:3 with linespoints title 'manager processes', 'results/reference/report/lab5_threads_vs_processes-atomic.dat' index 1 using 1:3 with linespoints title 'manager threads', 'results/reference/report/lab5_threads_vs_processes-atomic.dat' index 2 using 1:3 with linespoints title 'redis processes', 'results/reference/report/lab5_threads_vs_processes-atomic.dat' index 3 using 1:3 with linespoints title 'redis threads', 'results/reference/report/lab5_threads_vs_processes-atomic.dat' index 4 using 1:3 with linespoints title 'shm processes', 'results/reference/report/lab5_threads_vs_processes-atomic.dat' index 5 using 1:3 with linespoints title 'shm threads', 'results/reference/report/lab5_threads_vs_processes-atomic.dat' index 6 using 1:3 with linespoints title 'sqlite processes', 'results/reference/report/lab5_threads_vs_processes-atomic.dat' index 7 using 1:3 with linespoints title 'sqlite threads'
unset yrange
set autoscale y
set terminal svg size 900,640 noenhanced
set output 'results/reference/report/lab5_threads_vs_processes-atomic-p99.svg'
set title 'lab5_threads_vs_processes / atomic: p99 latency (us)'
set ylabel 'p99 latency (us)'
set logscale y
plot 'results/reference/report/lab5_threads_vs_processes-atomic.dat' index 0 using 1:3 with linespoints title 'manager processes', 'results/reference/report/lab5_threads_vs_processes-atomic.dat' index 1 using 1:3 with linespoints title 'manager threads', 'results/reference/report/lab5_threads_vs_processes-atomic.dat' index 2 using 1:3 with linespoints title 'redis processes', 'results/reference/report/lab5_threads_vs_processes-atomic.dat' index 3 using 1:3 with linespoints title 'redis threads', 'results/reference/report/lab5_threads_vs_processes-atomic.dat' index 4 using 1:3 with linespoints title 'shm processes', 'results/reference/report/lab5_threads_vs_processes-atomic.dat' index 5 using 1:3 with linespoints title 'shm threads', 'results/reference/report/lab5_threads_vs_processes-atomic.dat' index 6 using 1:3 with linespoints title 'sqlite processes', 'results/reference/report/lab5_threads_vs_processes-atomic.dat' index 7 using 1:3 with linespoints title 'sqlite threads'
unset yrange
set autoscale y
set terminal pngcairo size 900,640 noenhanced
set output 'results/reference/report/lab5_threads_vs_processes-atomic-retries.png'
set title 'lab5_threads_vs_processes / atomic: retries per 1,000 operations'
set ylabel 'retries per 1,000 operations'
unset logscale y
set yrange [0:*]
plot 'results/reference/report/lab5_threads_vs_processes-atomic.dat' index 0 using 1:4 with linespoints title 'manager processes', 'results/reference/report/lab5_threads_vs_processes-atomic.dat' index 1 using 1:4 with linespoints title 'manager threads', 'results/reference/report/lab5_threads_vs_processes-atomic.dat' index 2 using 1:4 with linespoints title 'redis processes', 'results/reference/report/lab5_threads_vs_processes-atomic.dat' index 3 using 1:4 with linespoints title 'redis threads', 'results/reference/report/lab5_threads_vs_processes-atomic.dat' index 4 using 1:4 with linespoints title 'shm processes', 'results/reference/report/lab5_threads_vs_processes-atomic.dat' index 5 using 1:4 with linespoints title 'shm threads', 'results/reference/report/lab5_threads_vs_processes-atomic.dat' index 6 using 1:4 with linespoints title 'sqlite processes', 'results/reference/report/lab5_threads_vs_processes-atomic.dat' index 7 using 1:4 with linespoints title 'sqlite threads'
unset yrange
set autoscale y
set terminal svg size 900,640 noenhanced
set output 'results/reference/report/lab5_threads_vs_processes-atomic-retries.svg'
set title 'lab5_threads_vs_processes / atomic: retries per 1,000 operations'
set ylabel 'retries per 1,000 operations'
unset logscale y
set yrange [0:*]
plot 'results/reference/report/lab5_threads_vs_processes-atomic.dat' index 0 using 1:4 with linespoints title 'manager processes', 'results/reference/report/lab5_threads_vs_processes-atomic.dat' index 1 using 1:4 with linespoints title 'manager threads', 'results/reference/report/lab5_threads_vs_processes-atomic.dat' index 2 using 1:4 with linespoints title 'redis processes', 'results/reference/report/lab5_threads_vs_processes-atomic.dat' index 3 using 1:4 with linespoints title 'redis threads', 'results/reference/report/lab5_threads_vs_processes-atomic.dat' index 4 using 1:4 with linespoints title 'shm processes', 'results/reference/report/lab5_threads_vs_processes-atomic.dat' index 5 using 1:4 with linespoints title 'shm threads', 'results/reference/report/lab5_threads_vs_processes-atomic.dat' index 6 using 1:4 with linespoints title 'sqlite processes', 'results/reference/report/lab5_threads_vs_processes-atomic.dat' index 7 using 1:4 with linespoints title 'sqlite threads'
unset yrange
set autoscale y
