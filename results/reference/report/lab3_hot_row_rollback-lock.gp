set datafile missing 'nan'
set key below
set grid
set xlabel 'workers'
set logscale x 2
set xrange [0.714:11.200]
set xtics (1, 2, 4, 8)
set terminal pngcairo size 900,640 noenhanced
set output 'results/reference/report/lab3_hot_row_rollback-lock-throughput.png'
set title 'lab3_hot_row_rollback / lock: increments/s'
set ylabel 'increments/s'
set logscale y
plot 'results/reference/report/lab3_hot_row_rollback-lock.dat' index 0 using 1:2 with linespoints title 'sqlite'
unset yrange
set autoscale y
set terminal svg size 900,640 noenhanced
set output 'results/reference/report/lab3_hot_row_rollback-lock-throughput.svg'
set title 'lab3_hot_row_rollback / lock: increments/s'
set ylabel 'increments/s'
set logscale y
plot 'results/reference/report/lab3_hot_row_rollback-lock.dat' index 0 using 1:2 with linespoints title 'sqlite'
unset yrange
set autoscale y
set terminal pngcairo size 900,640 noenhanced
set output 'results/reference/report/lab3_hot_row_rollback-lock-p99.png'
set title 'lab3_hot_row_rollback / lock: p99 latency (us)'
set ylabel 'p99 latency (us)'
set logscale y
plot 'results/reference/report/lab3_hot_row_rollback-lock.dat' index 0 using 1:3 with linespoints title 'sqlite'
unset yrange
set autoscale y
set terminal svg size 900,640 noenhanced
set output 'results/reference/report/lab3_hot_row_rollback-lock-p99.svg'
set title 'lab3_hot_row_rollback / lock: p99 latency (us)'
set ylabel 'p99 latency (us)'
set logscale y
plot 'results/reference/report/lab3_hot_row_rollback-lock.dat' index 0 using 1:3 with linespoints title 'sqlite'
unset yrange
set autoscale y
set terminal pngcairo size 900,640 noenhanced
set output 'results/reference/report/lab3_hot_row_rollback-lock-retries.png'
set title 'lab3_hot_row_rollback / lock: retries per 1,000 operations'
set ylabel 'retries per 1,000 operations'
unset logscale y
set yrange [0:*]
plot 'results/reference/report/lab3_hot_row_rollback-lock.dat' index 0 using 1:4 with linespoints title 'sqlite'
unset yrange
set autoscale y
set terminal svg size 900,640 noenhanced
set output 'results/reference/report/lab3_hot_row_rollback-lock-retries.svg'
set title 'lab3_hot_row_rollback / lock: retries per 1,000 operations'
set ylabel 'retries per 1,000 operations'
unset logscale y
set yrange [0:*]
plot 'results/reference/report/lab3_hot_row_rollback-lock.dat' index 0 using 1:4 with linespoints title 'sqlite'
unset yrange
set autoscale y
