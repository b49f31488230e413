set datafile missing 'nan'
set key below box samplen 3
set grid
set samples 400
set linetype 1 lc rgb '#1f77b4' lw 2 pt 7
set linetype 2 lc rgb '#d62728' lw 2 pt 5
set linetype 3 lc rgb '#2ca02c' lw 2 pt 9
set linetype 4 lc rgb '#9467bd' lw 2 pt 11
set linetype 5 lc rgb '#8c564b' lw 2 pt 13
set linetype 6 lc rgb '#e377c2' lw 2 pt 3
set linetype 7 lc rgb '#404040' lw 2 pt 1
set linetype 8 lc rgb '#ff7f0e' lw 2 pt 2
set linetype cycle 8
set xlabel 'rate (% of closed-loop capacity)' offset 0,1
set offsets graph 0.05, graph 0.05, 0, 0
set xtics (50, 80, 95, 110)
set terminal pngcairo size 900,640 noenhanced
set output 'results/reference/report/lab7_open_loop-atomic-throughput.png'
set title 'lab7_open_loop / atomic: increments/s'
set ylabel 'increments/s, log scale'
set logscale y
plot 'results/reference/report/lab7_open_loop-atomic.dat' index 0 using 1:2 with linespoints lt 1 dt 1 title 'redis'
unset yrange
set autoscale y
set terminal svg size 900,640 noenhanced
set output 'results/reference/report/lab7_open_loop-atomic-throughput.svg'
set title 'lab7_open_loop / atomic: increments/s'
set ylabel 'increments/s, log scale'
set logscale y
plot 'results/reference/report/lab7_open_loop-atomic.dat' index 0 using 1:2 with linespoints lt 1 dt 1 title 'redis'
unset yrange
set autoscale y
set terminal pngcairo size 900,640 noenhanced
set output 'results/reference/report/lab7_open_loop-atomic-p99.png'
set title 'lab7_open_loop / atomic: p99 latency (us)'
set ylabel 'p99 latency (us), log scale'
set logscale y
plot 'results/reference/report/lab7_open_loop-atomic.dat' index 0 using 1:3 with linespoints lt 1 dt 1 title 'redis'
unset yrange
set autoscale y
set terminal svg size 900,640 noenhanced
set output 'results/reference/report/lab7_open_loop-atomic-p99.svg'
set title 'lab7_open_loop / atomic: p99 latency (us)'
set ylabel 'p99 latency (us), log scale'
set logscale y
plot 'results/reference/report/lab7_open_loop-atomic.dat' index 0 using 1:3 with linespoints lt 1 dt 1 title 'redis'
unset yrange
set autoscale y
set terminal pngcairo size 900,640 noenhanced
set output 'results/reference/report/lab7_open_loop-atomic-retries.png'
set title 'lab7_open_loop / atomic: retries per 1,000 operations'
set ylabel 'retries per 1,000 operations'
unset logscale y
set yrange [0:*]
plot 'results/reference/report/lab7_open_loop-atomic.dat' index 0 using 1:4 with linespoints lt 1 dt 1 title 'redis'
unset yrange
set autoscale y
set terminal svg size 900,640 noenhanced
set output 'results/reference/report/lab7_open_loop-atomic-retries.svg'
set title 'lab7_open_loop / atomic: retries per 1,000 operations'
set ylabel 'retries per 1,000 operations'
unset logscale y
set yrange [0:*]
plot 'results/reference/report/lab7_open_loop-atomic.dat' index 0 using 1:4 with linespoints lt 1 dt 1 title 'redis'
unset yrange
set autoscale y
set terminal pngcairo size 900,640 noenhanced
set output 'results/reference/report/lab7_open_loop-atomic-response.png'
set title 'lab7_open_loop / atomic: response time (us)'
set ylabel 'response time (us), log scale'
set logscale y
plot 'results/reference/report/lab7_open_loop-atomic.dat' index 0 using 1:6 with linespoints lt 1 dt 1 title 'redis response p99', 'results/reference/report/lab7_open_loop-atomic.dat' index 0 using 1:5 with linespoints lt 1 dt 2 title 'redis response p50', 'results/reference/report/lab7_open_loop-atomic.dat' index 0 using 1:3 with linespoints lt 1 dt 3 title 'redis service p99'
unset yrange
set autoscale y
set terminal svg size 900,640 noenhanced
set output 'results/reference/report/lab7_open_loop-atomic-response.svg'
set title 'lab7_open_loop / atomic: response time (us)'
set ylabel 'response time (us), log scale'
set logscale y
plot 'results/reference/report/lab7_open_loop-atomic.dat' index 0 using 1:6 with linespoints lt 1 dt 1 title 'redis response p99', 'results/reference/report/lab7_open_loop-atomic.dat' index 0 using 1:5 with linespoints lt 1 dt 2 title 'redis response p50', 'results/reference/report/lab7_open_loop-atomic.dat' index 0 using 1:3 with linespoints lt 1 dt 3 title 'redis service p99'
unset yrange
set autoscale y
set terminal pngcairo size 900,640 noenhanced
set output 'results/reference/report/lab7_open_loop-atomic-achieved.png'
set title 'lab7_open_loop / atomic: achieved and offered rate (/s)'
set ylabel 'achieved and offered rate (/s)'
unset logscale y
set yrange [0:*]
plot 'results/reference/report/lab7_open_loop-atomic.dat' index 0 using 1:7 with linespoints lt 1 dt 1 title 'redis achieved', 'results/reference/report/lab7_open_loop-atomic.dat' index 0 using 1:8 with lines lt 1 dt 2 title 'redis offered'
unset yrange
set autoscale y
set terminal svg size 900,640 noenhanced
set output 'results/reference/report/lab7_open_loop-atomic-achieved.svg'
set title 'lab7_open_loop / atomic: achieved and offered rate (/s)'
set ylabel 'achieved and offered rate (/s)'
unset logscale y
set yrange [0:*]
plot 'results/reference/report/lab7_open_loop-atomic.dat' index 0 using 1:7 with linespoints lt 1 dt 1 title 'redis achieved', 'results/reference/report/lab7_open_loop-atomic.dat' index 0 using 1:8 with lines lt 1 dt 2 title 'redis offered'
unset yrange
set autoscale y
