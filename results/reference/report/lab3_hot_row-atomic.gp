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
set xlabel 'workers, log scale' offset 0,1
set logscale x 2
set xrange [0.714286:11.200000]
set xtics (1, 2, 4, 8)
set terminal pngcairo size 900,680 noenhanced
set output 'results/reference/report/lab3_hot_row-atomic-throughput.png'
set title 'lab3_hot_row / atomic: increments/s (dashed: USL fit)'
set ylabel 'increments/s, log scale'
set logscale y
plot 'results/reference/report/lab3_hot_row-atomic.dat' index 0 using 1:2 with linespoints lt 1 dt 1 title 'inproc keys=1', 1.2071e+08*x/(1+1*(x-1)+0.699432*x*(x-1)) with lines lt 1 dt 2 notitle, 'results/reference/report/lab3_hot_row-atomic.dat' index 1 using 1:2 with linespoints lt 2 dt 1 title 'inproc keys=1024', 1.58568e+08*x/(1+1*(x-1)+0.00623952*x*(x-1)) with lines lt 2 dt 2 notitle, 'results/reference/report/lab3_hot_row-atomic.dat' index 2 using 1:2 with linespoints lt 3 dt 1 title 'postgres keys=1', 18675.4*x/(1+0.235966*(x-1)+0.0186472*x*(x-1)) with lines lt 3 dt 2 notitle, 'results/reference/report/lab3_hot_row-atomic.dat' index 3 using 1:2 with linespoints lt 4 dt 1 title 'postgres keys=1024', 27332.9*x/(1+0.162757*(x-1)+0.0460727*x*(x-1)) with lines lt 4 dt 2 notitle, 'results/reference/report/lab3_hot_row-atomic.dat' index 4 using 1:2 with linespoints lt 5 dt 1 title 'sqlite keys=1 [journal_mode=delete]', 1768.83*x/(1+1*(x-1)+0.0270497*x*(x-1)) with lines lt 5 dt 2 notitle, 'results/reference/report/lab3_hot_row-atomic.dat' index 5 using 1:2 with linespoints lt 6 dt 1 title 'sqlite keys=1 [journal_mode=wal]', 132710*x/(1+1*(x-1)+0.111366*x*(x-1)) with lines lt 6 dt 2 notitle, 'results/reference/report/lab3_hot_row-atomic.dat' index 6 using 1:2 with linespoints lt 7 dt 1 title 'sqlite keys=1024 [journal_mode=delete]', 1799.47*x/(1+1*(x-1)+0.0174115*x*(x-1)) with lines lt 7 dt 2 notitle, 'results/reference/report/lab3_hot_row-atomic.dat' index 7 using 1:2 with linespoints lt 8 dt 1 title 'sqlite keys=1024 [journal_mode=wal]', 133776*x/(1+1*(x-1)+0.128412*x*(x-1)) with lines lt 8 dt 2 notitle
unset yrange
set autoscale y
set terminal svg size 900,680 noenhanced
set output 'results/reference/report/lab3_hot_row-atomic-throughput.svg'
set title 'lab3_hot_row / atomic: increments/s (dashed: USL fit)'
set ylabel 'increments/s, log scale'
set logscale y
plot 'results/reference/report/lab3_hot_row-atomic.dat' index 0 using 1:2 with linespoints lt 1 dt 1 title 'inproc keys=1', 1.2071e+08*x/(1+1*(x-1)+0.699432*x*(x-1)) with lines lt 1 dt 2 notitle, 'results/reference/report/lab3_hot_row-atomic.dat' index 1 using 1:2 with linespoints lt 2 dt 1 title 'inproc keys=1024', 1.58568e+08*x/(1+1*(x-1)+0.00623952*x*(x-1)) with lines lt 2 dt 2 notitle, 'results/reference/report/lab3_hot_row-atomic.dat' index 2 using 1:2 with linespoints lt 3 dt 1 title 'postgres keys=1', 18675.4*x/(1+0.235966*(x-1)+0.0186472*x*(x-1)) with lines lt 3 dt 2 notitle, 'results/reference/report/lab3_hot_row-atomic.dat' index 3 using 1:2 with linespoints lt 4 dt 1 title 'postgres keys=1024', 27332.9*x/(1+0.162757*(x-1)+0.0460727*x*(x-1)) with lines lt 4 dt 2 notitle, 'results/reference/report/lab3_hot_row-atomic.dat' index 4 using 1:2 with linespoints lt 5 dt 1 title 'sqlite keys=1 [journal_mode=delete]', 1768.83*x/(1+1*(x-1)+0.0270497*x*(x-1)) with lines lt 5 dt 2 notitle, 'results/reference/report/lab3_hot_row-atomic.dat' index 5 using 1:2 with linespoints lt 6 dt 1 title 'sqlite keys=1 [journal_mode=wal]', 132710*x/(1+1*(x-1)+0.111366*x*(x-1)) with lines lt 6 dt 2 notitle, 'results/reference/report/lab3_hot_row-atomic.dat' index 6 using 1:2 with linespoints lt 7 dt 1 title 'sqlite keys=1024 [journal_mode=delete]', 1799.47*x/(1+1*(x-1)+0.0174115*x*(x-1)) with lines lt 7 dt 2 notitle, 'results/reference/report/lab3_hot_row-atomic.dat' index 7 using 1:2 with linespoints lt 8 dt 1 title 'sqlite keys=1024 [journal_mode=wal]', 133776*x/(1+1*(x-1)+0.128412*x*(x-1)) with lines lt 8 dt 2 notitle
unset yrange
set autoscale y
set terminal pngcairo size 900,680 noenhanced
set output 'results/reference/report/lab3_hot_row-atomic-p99.png'
set title 'lab3_hot_row / atomic: p99 latency (us)'
set ylabel 'p99 latency (us), log scale'
set logscale y
plot 'results/reference/report/lab3_hot_row-atomic.dat' index 0 using 1:3 with linespoints lt 1 dt 1 title 'inproc keys=1', 'results/reference/report/lab3_hot_row-atomic.dat' index 1 using 1:3 with linespoints lt 2 dt 1 title 'inproc keys=1024', 'results/reference/report/lab3_hot_row-atomic.dat' index 2 using 1:3 with linespoints lt 3 dt 1 title 'postgres keys=1', 'results/reference/report/lab3_hot_row-atomic.dat' index 3 using 1:3 with linespoints lt 4 dt 1 title 'postgres keys=1024', 'results/reference/report/lab3_hot_row-atomic.dat' index 4 using 1:3 with linespoints lt 5 dt 1 title 'sqlite keys=1 [journal_mode=delete]', 'results/reference/report/lab3_hot_row-atomic.dat' index 5 using 1:3 with linespoints lt 6 dt 1 title 'sqlite keys=1 [journal_mode=wal]', 'results/reference/report/lab3_hot_row-atomic.dat' index 6 using 1:3 with linespoints lt 7 dt 1 title 'sqlite keys=1024 [journal_mode=delete]', 'results/reference/report/lab3_hot_row-atomic.dat' index 7 using 1:3 with linespoints lt 8 dt 1 title 'sqlite keys=1024 [journal_mode=wal]'
unset yrange
set autoscale y
set terminal svg size 900,680 noenhanced
set output 'results/reference/report/lab3_hot_row-atomic-p99.svg'
set title 'lab3_hot_row / atomic: p99 latency (us)'
set ylabel 'p99 latency (us), log scale'
set logscale y
plot 'results/reference/report/lab3_hot_row-atomic.dat' index 0 using 1:3 with linespoints lt 1 dt 1 title 'inproc keys=1', 'results/reference/report/lab3_hot_row-atomic.dat' index 1 using 1:3 with linespoints lt 2 dt 1 title 'inproc keys=1024', 'results/reference/report/lab3_hot_row-atomic.dat' index 2 using 1:3 with linespoints lt 3 dt 1 title 'postgres keys=1', 'results/reference/report/lab3_hot_row-atomic.dat' index 3 using 1:3 with linespoints lt 4 dt 1 title 'postgres keys=1024', 'results/reference/report/lab3_hot_row-atomic.dat' index 4 using 1:3 with linespoints lt 5 dt 1 title 'sqlite keys=1 [journal_mode=delete]', 'results/reference/report/lab3_hot_row-atomic.dat' index 5 using 1:3 with linespoints lt 6 dt 1 title 'sqlite keys=1 [journal_mode=wal]', 'results/reference/report/lab3_hot_row-atomic.dat' index 6 using 1:3 with linespoints lt 7 dt 1 title 'sqlite keys=1024 [journal_mode=delete]', 'results/reference/report/lab3_hot_row-atomic.dat' index 7 using 1:3 with linespoints lt 8 dt 1 title 'sqlite keys=1024 [journal_mode=wal]'
unset yrange
set autoscale y
set terminal pngcairo size 900,680 noenhanced
set output 'results/reference/report/lab3_hot_row-atomic-retries.png'
set title 'lab3_hot_row / atomic: retries per 1,000 operations'
set ylabel 'retries per 1,000 operations'
unset logscale y
set yrange [0:*]
plot 'results/reference/report/lab3_hot_row-atomic.dat' index 0 using 1:4 with linespoints lt 1 dt 1 title 'inproc keys=1', 'results/reference/report/lab3_hot_row-atomic.dat' index 1 using 1:4 with linespoints lt 2 dt 1 title 'inproc keys=1024', 'results/reference/report/lab3_hot_row-atomic.dat' index 2 using 1:4 with linespoints lt 3 dt 1 title 'postgres keys=1', 'results/reference/report/lab3_hot_row-atomic.dat' index 3 using 1:4 with linespoints lt 4 dt 1 title 'postgres keys=1024', 'results/reference/report/lab3_hot_row-atomic.dat' index 4 using 1:4 with linespoints lt 5 dt 1 title 'sqlite keys=1 [journal_mode=delete]', 'results/reference/report/lab3_hot_row-atomic.dat' index 5 using 1:4 with linespoints lt 6 dt 1 title 'sqlite keys=1 [journal_mode=wal]', 'results/reference/report/lab3_hot_row-atomic.dat' index 6 using 1:4 with linespoints lt 7 dt 1 title 'sqlite keys=1024 [journal_mode=delete]', 'results/reference/report/lab3_hot_row-atomic.dat' index 7 using 1:4 with linespoints lt 8 dt 1 title 'sqlite keys=1024 [journal_mode=wal]'
unset yrange
set autoscale y
set terminal svg size 900,680 noenhanced
set output 'results/reference/report/lab3_hot_row-atomic-retries.svg'
set title 'lab3_hot_row / atomic: retries per 1,000 operations'
set ylabel 'retries per 1,000 operations'
unset logscale y
set yrange [0:*]
plot 'results/reference/report/lab3_hot_row-atomic.dat' index 0 using 1:4 with linespoints lt 1 dt 1 title 'inproc keys=1', 'results/reference/report/lab3_hot_row-atomic.dat' index 1 using 1:4 with linespoints lt 2 dt 1 title 'inproc keys=1024', 'results/reference/report/lab3_hot_row-atomic.dat' index 2 using 1:4 with linespoints lt 3 dt 1 title 'postgres keys=1', 'results/reference/report/lab3_hot_row-atomic.dat' index 3 using 1:4 with linespoints lt 4 dt 1 title 'postgres keys=1024', 'results/reference/report/lab3_hot_row-atomic.dat' index 4 using 1:4 with linespoints lt 5 dt 1 title 'sqlite keys=1 [journal_mode=delete]', 'results/reference/report/lab3_hot_row-atomic.dat' index 5 using 1:4 with linespoints lt 6 dt 1 title 'sqlite keys=1 [journal_mode=wal]', 'results/reference/report/lab3_hot_row-atomic.dat' index 6 using 1:4 with linespoints lt 7 dt 1 title 'sqlite keys=1024 [journal_mode=delete]', 'results/reference/report/lab3_hot_row-atomic.dat' index 7 using 1:4 with linespoints lt 8 dt 1 title 'sqlite keys=1024 [journal_mode=wal]'
unset yrange
set autoscale y
