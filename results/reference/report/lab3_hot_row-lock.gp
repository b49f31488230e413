set datafile missing 'nan'
set key below
set grid
set xlabel 'workers'
set logscale x 2
set xrange [0.714:11.200]
set xtics (1, 2, 4, 8)
set terminal pngcairo size 900,640 noenhanced
set output 'results/reference/report/lab3_hot_row-lock-throughput.png'
set title 'lab3_hot_row / lock: increments/s'
set ylabel 'increments/s'
set logscale y
plot 'results/reference/report/lab3_hot_row-lock.dat' index 0 using 1:2 with linespoints title 'inproc keys=1 hold=0us', 'results/reference/report/lab3_hot_row-lock.dat' index 1 using 1:2 with linespoints title 'inproc keys=1 hold=100us', 'results/reference/report/lab3_hot_row-lock.dat' index 2 using 1:2 with linespoints title 'inproc keys=1024 hold=0us', 'results/reference/report/lab3_hot_row-lock.dat' index 3 using 1:2 with linespoints title 'inproc keys=1024 hold=100us', 'results/reference/report/lab3_hot_row-lock.dat' index 4 using 1:2 with linespoints title 'sqlite keys=1 hold=0us', 'results/reference/report/lab3_hot_row-lock.dat' index 5 using 1:2 with linespoints title 'sqlite keys=1 hold=100us', 'results/reference/report/lab3_hot_row-lock.dat' index 6 using 1:2 with linespoints title 'sqlite keys=1024 hold=0us', 'results/reference/report/lab3_hot_row-lock.dat' index 7 using 1:2 with linespoints title 'sqlite keys=1024 hold=100us'
unset yrange
set autoscale y
set terminal svg size 900,640 noenhanced
set output 'results/reference/report/lab3_hot_row-lock-throughput.svg'
set title 'lab3_hot_row / lock: increments/s'
set ylabel 'increments/s'
set logscale y
plot 'results/reference/report/lab3_hot_row-lock.dat' index 0 using 1:2 with linespoints title 'inproc keys=1 hold=0us', 'results/reference/report/lab3_hot_row-lock.dat' index 1 using 1:2 with linespoints title 'inproc keys=1 hold=100us', 'results/reference/report/lab3_hot_row-lock.dat' index 2 using 1:2 with linespoints title 'inproc keys=1024 hold=0us', 'results/reference/report/lab3_hot_row-lock.dat' index 3 using 1:2 with linespoints title 'inproc keys=1024 hold=100us', 'results/reference/report/lab3_hot_row-lock.dat' index 4 using 1:2 with linespoints title 'sqlite keys=1 hold=0us', 'results/reference/report/lab3_hot_row-lock.dat' index 5 using 1:2 with linespoints title 'sqlite keys=1 hold=100us', 'results/reference/report/lab3_hot_row-lock.dat' index 6 using 1:2 with linespoints title 'sqlite keys=1024 hold=0us', 'results/reference/report/lab3_hot_row-lock.dat' index 7 using 1:2 with linespoints title 'sqlite keys=1024 hold=100us'
unset yrange
set autoscale y
set terminal pngcairo size 900,640 noenhanced
set output 'results/reference/report/lab3_hot_row-lock-p99.png'
set title 'lab3_hot_row / lock: p99 latency (us)'
set ylabel 'p99 latency (us)'
set logscale y
plot 'results/reference/report/lab3_hot_row-lock.dat' index 0 using 1:3 with linespoints title 'inproc keys=1 hold=0us', 'results/reference/report/lab3_hot_row-lock.dat' index 1 using 1:3 with linespoints title 'inproc keys=1 hold=100us', 'results/reference/report/lab3_hot_row-lock.dat' index 2 using 1:3 with linespoints title 'inproc keys=1024 hold=0us', 'results/reference/report/lab3_hot_row-lock.dat' index 3 using 1:3 with linespoints title 'inproc keys=1024 hold=100us', 'results/reference/report/lab3_hot_row-lock.dat' index 4 using 1:3 with linespoints title 'sqlite keys=1 hold=0us', 'results/reference/report/lab3_hot_row-lock.dat' index 5 using 1:3 with linespoints title 'sqlite keys=1 hold=100us', 'results/reference/report/lab3_hot_row-lock.dat' index 6 using 1:3 with linespoints title 'sqlite keys=1024 hold=0us', 'results/reference/report/lab3_hot_row-lock.dat' index 7 using 1:3 with linespoints title 'sqlite keys=1024 hold=100us'
unset yrange
set autoscale y
set terminal svg size 900,640 noenhanced
set output 'results/reference/report/lab3_hot_row-lock-p99.svg'
set title 'lab3_hot_row / lock: p99 latency (us)'
set ylabel 'p99 latency (us)'
set logscale y
plot 'results/reference/report/lab3_hot_row-lock.dat' index 0 using 1:3 with linespoints title 'inproc keys=1 hold=0us', 'results/reference/report/lab3_hot_row-lock.dat' index 1 using 1:3 with linespoints title 'inproc keys=1 hold=100us', 'results/reference/report/lab3_hot_row-lock.dat' index 2 using 1:3 with linespoints title 'inproc keys=1024 hold=0us', 'results/reference/report/lab3_hot_row-lock.dat' index 3 using 1:3 with linespoints title 'inproc keys=1024 hold=100us', 'results/reference/report/lab3_hot_row-lock.dat' index 4 using 1:3 with linespoints title 'sqlite keys=1 hold=0us', 'results/reference/report/lab3_hot_row-lock.dat' index 5 using 1:3 with linespoints title 'sqlite keys=1 hold=100us', 'results/reference/report/lab3_hot_row-lock.dat' index 6 using 1:3 with linespoints title 'sqlite keys=1024 hold=0us', 'results/reference/report/lab3_hot_row-lock.dat' index 7 using 1:3 with linespoints title 'sqlite keys=1024 hold=100us'
unset yrange
set autoscale y
set terminal pngcairo size 900,640 noenhanced
set output 'results/reference/report/lab3_hot_row-lock-retries.png'
set title 'lab3_hot_row / lock: retries per 1,000 operations'
set ylabel 'retries per 1,000 operations'
unset logscale y
set yrange [0:*]
plot 'results/reference/report/lab3_hot_row-lock.dat' index 0 using 1:4 with linespoints title 'inproc keys=1 hold=0us', 'results/reference/report/lab3_hot_row-lock.dat' index 1 using 1:4 with linespoints title 'inproc keys=1 hold=100us', 'results/reference/report/lab3_hot_row-lock.dat' index 2 using 1:4 with linespoints title 'inproc keys=1024 hold=0us', 'results/reference/report/lab3_hot_row-lock.dat' index 3 using 1:4 with linespoints title 'inproc keys=1024 hold=100us', 'results/reference/report/lab3_hot_row-lock.dat' index 4 using 1:4 with linespoints title 'sqlite keys=1 hold=0us', 'results/reference/report/lab3_hot_row-lock.dat' index 5 using 1:4 with linespoints title 'sqlite keys=1 hold=100us', 'results/reference/report/lab3_hot_row-lock.dat' index 6 using 1:4 with linespoints title 'sqlite keys=1024 hold=0us', 'results/reference/report/lab3_hot_row-lock.dat' index 7 using 1:4 with linespoints title 'sqlite keys=1024 hold=100us'
unset yrange
set autoscale y
set terminal svg size 900,640 noenhanced
set output 'results/reference/report/lab3_hot_row-lock-retries.svg'
set title 'lab3_hot_row / lock: retries per 1,000 operations'
set ylabel 'retries per 1,000 operations'
unset logscale y
set yrange [0:*]
plot 'results/reference/report/lab3_hot_row-lock.dat' index 0 using 1:4 with linespoints title 'inproc keys=1 hold=0us', 'results/reference/report/lab3_hot_row-lock.dat' index 1 using 1:4 with linespoints title 'inproc keys=1 hold=100us', 'results/reference/report/lab3_hot_row-lock.dat' index 2 using 1:4 with linespoints title 'inproc keys=1024 hold=0us', 'results/reference/report/lab3_hot_row-lock.dat' index 3 using 1:4 with linespoints title 'inproc keys=1024 hold=100us', 'results/reference/report/lab3_hot_row-lock.dat' index 4 using 1:4 with linespoints title 'sqlite keys=1 hold=0us', 'results/reference/report/lab3_hot_row-lock.dat' index 5 using 1:4 with linespoints title 'sqlite keys=1 hold=100us', 'results/reference/report/lab3_hot_row-lock.dat' index 6 using 1:4 with linespoints title 'sqlite keys=1024 hold=0us', 'results/reference/report/lab3_hot_row-lock.dat' index 7 using 1:4 with linespoints title 'sqlite keys=1024 hold=100us'
unset yrange
set autoscale y
