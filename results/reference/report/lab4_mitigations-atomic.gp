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
set xlabel 'batch, log scale' offset 0,1
set logscale x 2
set xrange [0.714286:140.000000]
set xtics (1, 100)
set terminal pngcairo size 900,720 noenhanced
set output 'results/reference/report/lab4_mitigations-atomic-throughput.png'
set title 'lab4_mitigations / atomic: increments/s'
set ylabel 'increments/s, log scale'
set logscale y
plot 'results/reference/report/lab4_mitigations-atomic.dat' index 0 using 1:2 with linespoints lt 1 dt 1 title 'manager shards=1', 'results/reference/report/lab4_mitigations-atomic.dat' index 1 using 1:2 with linespoints lt 2 dt 1 title 'manager shards=8', 'results/reference/report/lab4_mitigations-atomic.dat' index 2 using 1:2 with linespoints lt 3 dt 1 title 'redis shards=1', 'results/reference/report/lab4_mitigations-atomic.dat' index 3 using 1:2 with linespoints lt 4 dt 1 title 'redis shards=8', 'results/reference/report/lab4_mitigations-atomic.dat' index 4 using 1:2 with linespoints lt 5 dt 1 title 'shm shards=1', 'results/reference/report/lab4_mitigations-atomic.dat' index 5 using 1:2 with linespoints lt 6 dt 1 title 'shm shards=8', 'results/reference/report/lab4_mitigations-atomic.dat' index 6 using 1:2 with linespoints lt 7 dt 1 title 'sqlite shards=1 [txn_ops=1]', 'results/reference/report/lab4_mitigations-atomic.dat' index 7 using 1:2 with linespoints lt 8 dt 1 title 'sqlite shards=1 [txn_ops=100]', 'results/reference/report/lab4_mitigations-atomic.dat' index 8 using 1:2 with linespoints lt 1 dt 2 title 'sqlite shards=8 [txn_ops=1]', 'results/reference/report/lab4_mitigations-atomic.dat' index 9 using 1:2 with linespoints lt 2 dt 2 title 'sqlite shards=8 [txn_ops=100]'
unset yrange
set autoscale y
set terminal svg size 900,720 noenhanced
set output 'results/reference/report/lab4_mitigations-atomic-throughput.svg'
set title 'lab4_mitigations / atomic: increments/s'
set ylabel 'increments/s, log scale'
set logscale y
plot 'results/reference/report/lab4_mitigations-atomic.dat' index 0 using 1:2 with linespoints lt 1 dt 1 title 'manager shards=1', 'results/reference/report/lab4_mitigations-atomic.dat' index 1 using 1:2 with linespoints lt 2 dt 1 title 'manager shards=8', 'results/reference/report/lab4_mitigations-atomic.dat' index 2 using 1:2 with linespoints lt 3 dt 1 title 'redis shards=1', 'results/reference/report/lab4_mitigations-atomic.dat' index 3 using 1:2 with linespoints lt 4 dt 1 title 'redis shards=8', 'results/reference/report/lab4_mitigations-atomic.dat' index 4 using 1:2 with linespoints lt 5 dt 1 title 'shm shards=1', 'results/reference/report/lab4_mitigations-atomic.dat' index 5 using 1:2 with linespoints lt 6 dt 1 title 'shm shards=8', 'results/reference/report/lab4_mitigations-atomic.dat' index 6 using 1:2 with linespoints lt 7 dt 1 title 'sqlite shards=1 [txn_ops=1]', 'results/reference/report/lab4_mitigations-atomic.dat' index 7 using 1:2 with linespoints lt 8 dt 1 title 'sqlite shards=1 [txn_ops=100]', 'results/reference/report/lab4_mitigations-atomic.dat' index 8 using 1:2 with linespoints lt 1 dt 2 title 'sqlite shards=8 [txn_ops=1]', 'results/reference/report/lab4_mitigations-atomic.dat' index 9 using 1:2 with linespoints lt 2 dt 2 title 'sqlite shards=8 [txn_ops=100]'
unset yrange
set autoscale y
set terminal pngcairo size 900,720 noenhanced
set output 'results/reference/report/lab4_mitigations-atomic-p99.png'
set title 'lab4_mitigations / atomic: p99 latency (us)'
set ylabel 'p99 latency (us), log scale'
set logscale y
plot 'results/reference/report/lab4_mitigations-atomic.dat' index 0 using 1:3 with linespoints lt 1 dt 1 title 'manager shards=1', 'results/reference/report/lab4_mitigations-atomic.dat' index 1 using 1:3 with linespoints lt 2 dt 1 title 'manager shards=8', 'results/reference/report/lab4_mitigations-atomic.dat' index 2 using 1:3 with linespoints lt 3 dt 1 title 'redis shards=1', 'results/reference/report/lab4_mitigations-atomic.dat' index 3 using 1:3 with linespoints lt 4 dt 1 title 'redis shards=8', 'results/reference/report/lab4_mitigations-atomic.dat' index 4 using 1:3 with linespoints lt 5 dt 1 title 'shm shards=1', 'results/reference/report/lab4_mitigations-atomic.dat' index 5 using 1:3 with linespoints lt 6 dt 1 title 'shm shards=8', 'results/reference/report/lab4_mitigations-atomic.dat' index 6 using 1:3 with linespoints lt 7 dt 1 title 'sqlite shards=1 [txn_ops=1]', 'results/reference/report/lab4_mitigations-atomic.dat' index 7 using 1:3 with linespoints lt 8 dt 1 title 'sqlite shards=1 [txn_ops=100]', 'results/reference/report/lab4_mitigations-atomic.dat' index 8 using 1:3 with linespoints lt 1 dt 2 title 'sqlite shards=8 [txn_ops=1]', 'results/reference/report/lab4_mitigations-atomic.dat' index 9 using 1:3 with linespoints lt 2 dt 2 title 'sqlite shards=8 [txn_ops=100]'
unset yrange
set autoscale y
set terminal svg size 900,720 noenhanced
set output 'results/reference/report/lab4_mitigations-atomic-p99.svg'
set title 'lab4_mitigations / atomic: p99 latency (us)'
set ylabel 'p99 latency (us), log scale'
set logscale y
plot 'results/reference/report/lab4_mitigations-atomic.dat' index 0 using 1:3 with linespoints lt 1 dt 1 title 'manager shards=1', 'results/reference/report/lab4_mitigations-atomic.dat' index 1 using 1:3 with linespoints lt 2 dt 1 title 'manager shards=8', 'results/reference/report/lab4_mitigations-atomic.dat' index 2 using 1:3 with linespoints lt 3 dt 1 title 'redis shards=1', 'results/reference/report/lab4_mitigations-atomic.dat' index 3 using 1:3 with linespoints lt 4 dt 1 title 'redis shards=8', 'results/reference/report/lab4_mitigations-atomic.dat' index 4 using 1:3 with linespoints lt 5 dt 1 title 'shm shards=1', 'results/reference/report/lab4_mitigations-atomic.dat' index 5 using 1:3 with linespoints lt 6 dt 1 title 'shm shards=8', 'results/reference/report/lab4_mitigations-atomic.dat' index 6 using 1:3 with linespoints lt 7 dt 1 title 'sqlite shards=1 [txn_ops=1]', 'results/reference/report/lab4_mitigations-atomic.dat' index 7 using 1:3 with linespoints lt 8 dt 1 title 'sqlite shards=1 [txn_ops=100]', 'results/reference/report/lab4_mitigations-atomic.dat' index 8 using 1:3 with linespoints lt 1 dt 2 title 'sqlite shards=8 [txn_ops=1]', 'results/reference/report/lab4_mitigations-atomic.dat' index 9 using 1:3 with linespoints lt 2 dt 2 title 'sqlite shards=8 [txn_ops=100]'
unset yrange
set autoscale y
set terminal pngcairo size 900,720 noenhanced
set output 'results/reference/report/lab4_mitigations-atomic-retries.png'
set title 'lab4_mitigations / atomic: retries per 1,000 operations'
set ylabel 'retries per 1,000 operations'
unset logscale y
set yrange [0:*]
plot 'results/reference/report/lab4_mitigations-atomic.dat' index 0 using 1:4 with linespoints lt 1 dt 1 title 'manager shards=1', 'results/reference/report/lab4_mitigations-atomic.dat' index 1 using 1:4 with linespoints lt 2 dt 1 title 'manager shards=8', 'results/reference/report/lab4_mitigations-atomic.dat' index 2 using 1:4 with linespoints lt 3 dt 1 title 'redis shards=1', 'results/reference/report/lab4_mitigations-atomic.dat' index 3 using 1:4 with linespoints lt 4 dt 1 title 'redis shards=8', 'results/reference/report/lab4_mitigations-atomic.dat' index 4 using 1:4 with linespoints lt 5 dt 1 title 'shm shards=1', 'results/reference/report/lab4_mitigations-atomic.dat' index 5 using 1:4 with linespoints lt 6 dt 1 title 'shm shards=8', 'results/reference/report/lab4_mitigations-atomic.dat' index 6 using 1:4 with linespoints lt 7 dt 1 title 'sqlite shards=1 [txn_ops=1]', 'results/reference/report/lab4_mitigations-atomic.dat' index 7 using 1:4 with linespoints lt 8 dt 1 title 'sqlite shards=1 [txn_ops=100]', 'results/reference/report/lab4_mitigations-atomic.dat' index 8 using 1:4 with linespoints lt 1 dt 2 title 'sqlite shards=8 [txn_ops=1]', 'results/reference/report/lab4_mitigations-atomic.dat' index 9 using 1:4 with linespoints lt 2 dt 2 title 'sqlite shards=8 [txn_ops=100]'
unset yrange
set autoscale y
set terminal svg size 900,720 noenhanced
set output 'results/reference/report/lab4_mitigations-atomic-retries.svg'
set title 'lab4_mitigations / atomic: retries per 1,000 operations'
set ylabel 'retries per 1,000 operations'
unset logscale y
set yrange [0:*]
plot 'results/reference/report/lab4_mitigations-atomic.dat' index 0 using 1:4 with linespoints lt 1 dt 1 title 'manager shards=1', 'results/reference/report/lab4_mitigations-atomic.dat' index 1 using 1:4 with linespoints lt 2 dt 1 title 'manager shards=8', 'results/reference/report/lab4_mitigations-atomic.dat' index 2 using 1:4 with linespoints lt 3 dt 1 title 'redis shards=1', 'results/reference/report/lab4_mitigations-atomic.dat' index 3 using 1:4 with linespoints lt 4 dt 1 title 'redis shards=8', 'results/reference/report/lab4_mitigations-atomic.dat' index 4 using 1:4 with linespoints lt 5 dt 1 title 'shm shards=1', 'results/reference/report/lab4_mitigations-atomic.dat' index 5 using 1:4 with linespoints lt 6 dt 1 title 'shm shards=8', 'results/reference/report/lab4_mitigations-atomic.dat' index 6 using 1:4 with linespoints lt 7 dt 1 title 'sqlite shards=1 [txn_ops=1]', 'results/reference/report/lab4_mitigations-atomic.dat' index 7 using 1:4 with linespoints lt 8 dt 1 title 'sqlite shards=1 [txn_ops=100]', 'results/reference/report/lab4_mitigations-atomic.dat' index 8 using 1:4 with linespoints lt 1 dt 2 title 'sqlite shards=8 [txn_ops=1]', 'results/reference/report/lab4_mitigations-atomic.dat' index 9 using 1:4 with linespoints lt 2 dt 2 title 'sqlite shards=8 [txn_ops=100]'
unset yrange
set autoscale y
