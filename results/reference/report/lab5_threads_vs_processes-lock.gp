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
set style fill solid 0.6
set boxwidth 0.6
unset key
set lmargin 16
set xtics rotate by 30 right
set xlabel ''
set xrange [-0.6:11-0.4]
set terminal pngcairo size 900,640 noenhanced
set output 'results/reference/report/lab5_threads_vs_processes-lock-throughput.png'
set title 'lab5_threads_vs_processes / lock: increments/s'
set ylabel 'increments/s, log scale'
set logscale y
plot 'results/reference/report/lab5_threads_vs_processes-lock.dat' using 0:2:xtic(1) with boxes notitle
unset yrange
set autoscale y
set terminal svg size 900,640 noenhanced
set output 'results/reference/report/lab5_threads_vs_processes-lock-throughput.svg'
set title 'lab5_threads_vs_processes / lock: increments/s'
set ylabel 'increments/s, log scale'
set logscale y
plot 'results/reference/report/lab5_threads_vs_processes-lock.dat' using 0:2:xtic(1) with boxes notitle
unset yrange
set autoscale y
set terminal pngcairo size 900,640 noenhanced
set output 'results/reference/report/lab5_threads_vs_processes-lock-p99.png'
set title 'lab5_threads_vs_processes / lock: p99 latency (us)'
set ylabel 'p99 latency (us), log scale'
set logscale y
plot 'results/reference/report/lab5_threads_vs_processes-lock.dat' using 0:3:xtic(1) with boxes notitle
unset yrange
set autoscale y
set terminal svg size 900,640 noenhanced
set output 'results/reference/report/lab5_threads_vs_processes-lock-p99.svg'
set title 'lab5_threads_vs_processes / lock: p99 latency (us)'
set ylabel 'p99 latency (us), log scale'
set logscale y
plot 'results/reference/report/lab5_threads_vs_processes-lock.dat' using 0:3:xtic(1) with boxes notitle
unset yrange
set autoscale y
set terminal pngcairo size 900,640 noenhanced
set output 'results/reference/report/lab5_threads_vs_processes-lock-retries.png'
set title 'lab5_threads_vs_processes / lock: retries per 1,000 operations'
set ylabel 'retries per 1,000 operations'
unset logscale y
set yrange [0:*]
plot 'results/reference/report/lab5_threads_vs_processes-lock.dat' using 0:4:xtic(1) with boxes notitle
unset yrange
set autoscale y
set terminal svg size 900,640 noenhanced
set output 'results/reference/report/lab5_threads_vs_processes-lock-retries.svg'
set title 'lab5_threads_vs_processes / lock: retries per 1,000 operations'
set ylabel 'retries per 1,000 operations'
unset logscale y
set yrange [0:*]
plot 'results/reference/report/lab5_threads_vs_processes-lock.dat' using 0:4:xtic(1) with boxes notitle
unset yrange
set autoscale y
