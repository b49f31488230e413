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
set xlabel 'workers' offset 0,1
set offsets graph 0.05, graph 0.05, 0, 0
set xtics (1, 2, 4)
set terminal pngcairo size 900,640 noenhanced
set output 'results/reference/report/lab3b_isolation-lock-throughput.png'
set title 'lab3b_isolation / lock: increments/s'
set ylabel 'increments/s, log scale'
set logscale y
plot 'results/reference/report/lab3b_isolation-lock.dat' index 0 using 1:2 with linespoints lt 1 dt 1 title 'postgres [isolation=read_committed]', 'results/reference/report/lab3b_isolation-lock.dat' index 1 using 1:2 with linespoints lt 2 dt 1 title 'postgres [isolation=repeatable_read]', 'results/reference/report/lab3b_isolation-lock.dat' index 2 using 1:2 with linespoints lt 3 dt 1 title 'postgres [isolation=serializable]'
unset yrange
set autoscale y
set terminal svg size 900,640 noenhanced
set output 'results/reference/report/lab3b_isolation-lock-throughput.svg'
set title 'lab3b_isolation / lock: increments/s'
set ylabel 'increments/s, log scale'
set logscale y
plot 'results/reference/report/lab3b_isolation-lock.dat' index 0 using 1:2 with linespoints lt 1 dt 1 title 'postgres [isolation=read_committed]', 'results/reference/report/lab3b_isolation-lock.dat' index 1 using 1:2 with linespoints lt 2 dt 1 title 'postgres [isolation=repeatable_read]', 'results/reference/report/lab3b_isolation-lock.dat' index 2 using 1:2 with linespoints lt 3 dt 1 title 'postgres [isolation=serializable]'
unset yrange
set autoscale y
set terminal pngcairo size 900,640 noenhanced
set output 'results/reference/report/lab3b_isolation-lock-p99.png'
set title 'lab3b_isolation / lock: p99 latency (us)'
set ylabel 'p99 latency (us), log scale'
set logscale y
plot 'results/reference/report/lab3b_isolation-lock.dat' index 0 using 1:3 with linespoints lt 1 dt 1 title 'postgres [isolation=read_committed]', 'results/reference/report/lab3b_isolation-lock.dat' index 1 using 1:3 with linespoints lt 2 dt 1 title 'postgres [isolation=repeatable_read]', 'results/reference/report/lab3b_isolation-lock.dat' index 2 using 1:3 with linespoints lt 3 dt 1 title 'postgres [isolation=serializable]'
unset yrange
set autoscale y
set terminal svg size 900,640 noenhanced
set output 'results/reference/report/lab3b_isolation-lock-p99.svg'
set title 'lab3b_isolation / lock: p99 latency (us)'
set ylabel 'p99 latency (us), log scale'
set logscale y
plot 'results/reference/report/lab3b_isolation-lock.dat' index 0 using 1:3 with linespoints lt 1 dt 1 title 'postgres [isolation=read_committed]', 'results/reference/report/lab3b_isolation-lock.dat' index 1 using 1:3 with linespoints lt 2 dt 1 title 'postgres [isolation=repeatable_read]', 'results/reference/report/lab3b_isolation-lock.dat' index 2 using 1:3 with linespoints lt 3 dt 1 title 'postgres [isolation=serializable]'
unset yrange
set autoscale y
set terminal pngcairo size 900,640 noenhanced
set output 'results/reference/report/lab3b_isolation-lock-retries.png'
set title 'lab3b_isolation / lock: retries per 1,000 operations'
set ylabel 'retries per 1,000 operations'
unset logscale y
set yrange [0:*]
plot 'results/reference/report/lab3b_isolation-lock.dat' index 0 using 1:4 with linespoints lt 1 dt 1 title 'postgres [isolation=read_committed]', 'results/reference/report/lab3b_isolation-lock.dat' index 1 using 1:4 with linespoints lt 2 dt 1 title 'postgres [isolation=repeatable_read]', 'results/reference/report/lab3b_isolation-lock.dat' index 2 using 1:4 with linespoints lt 3 dt 1 title 'postgres [isolation=serializable]'
unset yrange
set autoscale y
set terminal svg size 900,640 noenhanced
set output 'results/reference/report/lab3b_isolation-lock-retries.svg'
set title 'lab3b_isolation / lock: retries per 1,000 operations'
set ylabel 'retries per 1,000 operations'
unset logscale y
set yrange [0:*]
plot 'results/reference/report/lab3b_isolation-lock.dat' index 0 using 1:4 with linespoints lt 1 dt 1 title 'postgres [isolation=read_committed]', 'results/reference/report/lab3b_isolation-lock.dat' index 1 using 1:4 with linespoints lt 2 dt 1 title 'postgres [isolation=repeatable_read]', 'results/reference/report/lab3b_isolation-lock.dat' index 2 using 1:4 with linespoints lt 3 dt 1 title 'postgres [isolation=serializable]'
unset yrange
set autoscale y
