set datafile missing 'nan'
set key below
set grid
set xlabel 'workers'
set logscale x 2
set xrange [2.857:5.600]
set xtics (4)
set terminal pngcairo size 900,640 noenhanced
set output 'results/reference/report/lab4_mitigations_txn-atomic-throughput.png'
set title 'lab4_mitigations_txn / atomic: increments/s'
set ylabel 'increments/s'
set logscale y
plot 'results/reference/report/lab4_mitigations_txn-atomic.dat' index 0 using 1:2 with linespoints title 'sqlite'
unset yrange
set autoscale y
set terminal svg size 900,640 noenhanced
set output 'results/reference/report/lab4_mitigations_txn-atomic-throughput.svg'
set title 'lab4_mitigations_txn / atomic: increments/s'
set ylabel 'increments/s'
set logscale y
plot 'results/reference/report/lab4_mitigations_txn-atomic.dat' index 0 using 1:2 with linespoints title 'sqlite'
unset yrange
set autoscale y
set terminal pngcairo size 900,640 noenhanced
set output 'results/reference/report/lab4_mitigations_txn-atomic-p99.png'
set title 'lab4_mitigations_txn / atomic: p99 latency (us)'
set ylabel 'p99 latency (us)'
set logscale y
plot 'results/reference/report/lab4_mitigations_txn-atomic.dat' index 0 using 1:3 with linespoints title 'sqlite'
unset yrange
set autoscale y
set terminal svg size 900,640 noenhanced
set output 'results/reference/report/lab4_mitigations_txn-atomic-p99.svg'
set title 'lab4_mitigations_txn / atomic: p99 latency (us)'
set ylabel 'p99 latency (us)'
set logscale y
plot 'results/reference/report/lab4_mitigations_txn-atomic.dat' index 0 using 1:3 with linespoints title 'sqlite'
unset yrange
set autoscale y
set terminal pngcairo size 900,640 noenhanced
set output 'results/reference/report/lab4_mitigations_txn-atomic-retries.png'
set title 'lab4_mitigations_txn / atomic: retries per 1,000 operations'
set ylabel 'retries per 1,000 operations'
unset logscale y
set yrange [0:*]
plot 'results/reference/report/lab4_mitigations_txn-atomic.dat' index 0 using 1:4 with linespoints title 'sqlite'
unset yrange
set autoscale y
set terminal svg size 900,640 noenhanced
set output 'results/reference/report/lab4_mitigations_txn-atomic-retries.svg'
set title 'lab4_mitigations_txn / atomic: retries per 1,000 operations'
set ylabel 'retries per 1,000 operations'
unset logscale y
set yrange [0:*]
plot 'results/reference/report/lab4_mitigations_txn-atomic.dat' index 0 using 1:4 with linespoints title 'sqlite'
unset yrange
set autoscale y
