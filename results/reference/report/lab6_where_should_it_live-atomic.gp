set datafile missing 'nan'
set key below
set grid
set xlabel 'workers'
set logscale x 2
set xrange [0.714:11.200]
set xtics (1, 8)
set terminal pngcairo size 900,640 noenhanced
set output 'results/reference/report/lab6_where_should_it_live-atomic-throughput.png'
set title 'lab6_where_should_it_live / atomic: increments/s'
set ylabel 'increments/s'
set logscale y
plot 'results/reference/report/lab6_where_should_it_live-atomic.dat' index 0 using 1:2 with linespoints title 'inproc', 'results/reference/report/lab6_where_should_it_live-atomic.dat' index 1 using 1:2 with linespoints title 'manager', 'results/reference/report/lab6_where_should_it_live-atomic.dat' index 2 using 1:2 with linespoints title 'manager [model=threads]', 'results/reference/report/lab6_where_should_it_live-atomic.dat' index 3 using 1:2 with linespoints title 'manager [pipeline=16]', 'results/reference/report/lab6_where_should_it_live-atomic.dat' index 4 using 1:2 with linespoints title 'redis', 'results/reference/report/lab6_where_should_it_live-atomic.dat' index 5 using 1:2 with linespoints title 'redis [pipeline=16]', 'results/reference/report/lab6_where_should_it_live-atomic.dat' index 6 using 1:2 with linespoints title 'shm', 'results/reference/report/lab6_where_should_it_live-atomic.dat' index 7 using 1:2 with linespoints title 'sqlite'
unset yrange
set autoscale y
set terminal svg size 900,640 noenhanced
set output 'results/reference/report/lab6_where_should_it_live-atomic-throughput.svg'
set title 'lab6_where_should_it_live / atomic: increments/s'
set ylabel 'increments/s'
set logscale y
plot 'results/reference/report/lab6_where_should_it_live-atomic.dat' index 0 using 1:2 with linespoints title 'inproc', 'results/reference/report/lab6_where_should_it_live-atomic.dat' index 1 using 1:2 with linespoints title 'manager', 'results/reference/report/lab6_where_should_it_live-atomic.dat' index 2 using 1:2 with linespoints title 'manager [model=threads]', 'results/reference/report/lab6_where_should_it_live-atomic.dat' index 3 using 1:2 with linespoints title 'manager [pipeline=16]', 'results/reference/report/lab6_where_should_it_live-atomic.dat' index 4 using 1:2 with linespoints title 'redis', 'results/reference/report/lab6_where_should_it_live-atomic.dat' index 5 using 1:2 with linespoints title 'redis [pipeline=16]', 'results/reference/report/lab6_where_should_it_live-atomic.dat' index 6 using 1:2 with linespoints title 'shm', 'results/reference/report/lab6_where_should_it_live-atomic.dat' index 7 using 1:2 with linespoints title 'sqlite'
unset yrange
set autoscale y
set terminal pngcairo size 900,640 noenhanced
set output 'results/reference/report/lab6_where_should_it_live-atomic-p99.png'
set title 'lab6_where_should_it_live / atomic: p99 latency (us)'
set ylabel 'p99 latency (us)'
set logscale y
plot 'results/reference/report/lab6_where_should_it_live-atomic.dat' index 0 using 1:3 with linespoints title 'inproc', 'results/reference/report/lab6_where_should_it_live-atomic.dat' index 1 using 1:3 with linespoints title 'manager', 'results/reference/report/lab6_where_should_it_live-atomic.dat' index 2 using 1:3 with linespoints title 'manager [model=threads]', 'results/reference/report/lab6_where_should_it_live-atomic.dat' index 3 using 1:3 with linespoints title 'manager [pipeline=16]', 'results/reference/report/lab6_where_should_it_live-atomic.dat' index 4 using 1:3 with linespoints title 'redis', 'results/reference/report/lab6_where_should_it_live-atomic.dat' index 5 using 1:3 with linespoints title 'redis [pipeline=16]', 'results/reference/report/lab6_where_should_it_live-atomic.dat' index 6 using 1:3 with linespoints title 'shm', 'results/reference/report/lab6_where_should_it_live-atomic.dat' index 7 using 1:3 with linespoints title 'sqlite'
unset yrange
set autoscale y
set terminal svg size 900,640 noenhanced
set output 'results/reference/report/lab6_where_should_it_live-atomic-p99.svg'
set title 'lab6_where_should_it_live / atomic: p99 latency (us)'
set ylabel 'p99 latency (us)'
set logscale y
plot 'results/reference/report/lab6_where_should_it_live-atomic.dat' index 0 using 1:3 with linespoints title 'inproc', 'results/reference/report/lab6_where_should_it_live-atomic.dat' index 1 using 1:3 with linespoints title 'manager', 'results/reference/report/lab6_where_should_it_live-atomic.dat' index 2 using 1:3 with linespoints title 'manager [model=threads]', 'results/reference/report/lab6_where_should_it_live-atomic.dat' index 3 using 1:3 with linespoints title 'manager [pipeline=16]', 'results/reference/report/lab6_where_should_it_live-atomic.dat' index 4 using 1:3 with linespoints title 'redis', 'results/reference/report/lab6_where_should_it_live-atomic.dat' index 5 using 1:3 with linespoints title 'redis [pipeline=16]', 'results/reference/report/lab6_where_should_it_live-atomic.dat' index 6 using 1:3 with linespoints title 'shm', 'results/reference/report/lab6_where_should_it_live-atomic.dat' index 7 using 1:3 with linespoints title 'sqlite'
unset yrange
set autoscale y
set terminal pngcairo size 900,640 noenhanced
set output 'results/reference/report/lab6_where_should_it_live-atomic-retries.png'
set title 'lab6_where_should_it_live / atomic: retries per 1,000 operations'
set ylabel 'retries per 1,000 operations'
unset logscale y
set yrange [0:*]
plot 'results/reference/report/lab6_where_should_it_live-atomic.dat' index 0 using 1:4 with linespoints title 'inproc', 'results/reference/report/lab6_where_should_it_live-atomic.dat' index 1 using 1:4 with linespoints title 'manager', 'results/reference/report/lab6_where_should_it_live-atomic.dat' index 2 using 1:4 with linespoints title 'manager [model=threads]', 'results/reference/report/lab6_where_should_it_live-atomic.dat' index 3 using 1:4 with linespoints title 'manager [pipeline=16]', 'results/reference/report/lab6_where_should_it_live-atomic.dat' index 4 using 1:4 with linespoints title 'redis', 'results/reference/report/lab6_where_should_it_live-atomic.dat' index 5 using 1:4 with linespoints title 'redis [pipeline=16]', 'results/reference/report/lab6_where_should_it_live-atomic.dat' index 6 using 1:4 with linespoints title 'shm', 'results/reference/report/lab6_where_should_it_live-atomic.dat' index 7 using 1:4 with linespoints title 'sqlite'
unset yrange
set autoscale y
set terminal svg size 900,640 noenhanced
set output 'results/reference/report/lab6_where_should_it_live-atomic-retries.svg'
set title 'lab6_where_should_it_live / atomic: retries per 1,000 operations'
set ylabel 'retries per 1,000 operations'
unset logscale y
set yrange [0:*]
plot 'results/reference/report/lab6_where_should_it_live-atomic.dat' index 0 using 1:4 with linespoints title 'inproc', 'results/reference/report/lab6_where_should_it_live-atomic.dat' index 1 using 1:4 with linespoints title 'manager', 'results/reference/report/lab6_where_should_it_live-atomic.dat' index 2 using 1:4 with linespoints title 'manager [model=threads]', 'results/reference/report/lab6_where_should_it_live-atomic.dat' index 3 using 1:4 with linespoints title 'manager [pipeline=16]', 'results/reference/report/lab6_where_should_it_live-atomic.dat' index 4 using 1:4 with linespoints title 'redis', 'results/reference/report/lab6_where_should_it_live-atomic.dat' index 5 using 1:4 with linespoints title 'redis [pipeline=16]', 'results/reference/report/lab6_where_should_it_live-atomic.dat' index 6 using 1:4 with linespoints title 'shm', 'results/reference/report/lab6_where_should_it_live-atomic.dat' index 7 using 1:4 with linespoints title 'sqlite'
unset yrange
set autoscale y
